package com.mailgov.webhook;

import com.mailgov.audit.AuditLog;
import com.mailgov.config.MailgovConfig;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Registers webhook endpoints and shows and repeats their deliveries; every change is audited. */
@ApplicationScoped
@Transactional
public class WebhookService {

    @Inject
    MailgovConfig config;

    @Inject
    AuditLog audit;

    public record EndpointRequest(String url, String secret, List<String> events, String description, Boolean enabled) {
    }

    /** An endpoint as the API shows it: the secret only as a hint, except once when mailgov generated it. */
    public record EndpointView(long id, String url, List<String> events, boolean enabled, String description,
                               String secretHint, String secret, String createdBy, Instant createdAt) {
        static EndpointView of(WebhookEndpoint e, String revealSecret) {
            String hint = e.secret.substring(0, WebhookSigner.PREFIX.length()) + "…" + e.secret.substring(e.secret.length() - 4);
            return new EndpointView(e.id, e.url, e.eventList(), e.enabled, e.description, hint, revealSecret, e.createdBy, e.createdAt);
        }
    }

    public record DeliveryView(long id, String messageId, String eventType, WebhookDelivery.Status status, int attempts,
                               Integer lastStatus, String lastError, Long latencyMs, Instant createdAt,
                               Instant nextAttemptAt, Instant deliveredAt) {
        static DeliveryView of(WebhookDelivery d) {
            return new DeliveryView(d.id, d.messageId, d.eventType, d.status, d.attempts, d.lastStatus, d.lastError,
                    d.latencyMs, d.createdAt, d.status == WebhookDelivery.Status.PENDING ? d.nextAttemptAt : null, d.deliveredAt);
        }
    }

    public EndpointView create(Actor actor, EndpointRequest body) {
        Validated v = validate(body, true);
        WebhookEndpoint e = new WebhookEndpoint();
        boolean generated = v.secret() == null;
        e.secret = generated ? WebhookSigner.newSecret() : v.secret();
        apply(e, v);
        e.createdBy = actor.username();
        e.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        e.persist();
        EndpointView view = EndpointView.of(e, generated ? e.secret : null);
        audit.record(actor, "webhook.created", "WEBHOOK", e.id.toString(), null, auditView(e));
        return view;
    }

    public EndpointView update(Actor actor, long id, EndpointRequest body) {
        WebhookEndpoint e = find(id);
        Map<String, Object> before = auditView(e);
        Validated v = validate(body, false);
        if (v.secret() != null) {
            e.secret = v.secret();
        }
        apply(e, v);
        audit.record(actor, "webhook.updated", "WEBHOOK", e.id.toString(), before, auditView(e));
        return EndpointView.of(e, null);
    }

    public void delete(Actor actor, long id) {
        WebhookEndpoint e = find(id);
        Map<String, Object> before = auditView(e);
        e.delete();
        audit.record(actor, "webhook.deleted", "WEBHOOK", Long.toString(id), before, null);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EndpointView> list() {
        return WebhookEndpoint.<WebhookEndpoint>list("ORDER BY id").stream().map(e -> EndpointView.of(e, null)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public EndpointView get(long id) {
        return EndpointView.of(find(id), null);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DeliveryView> deliveries(long endpointId, int limit) {
        find(endpointId);
        return WebhookDelivery.<WebhookDelivery>find("endpointId = ?1 ORDER BY id DESC", endpointId)
                .page(0, limit).stream().map(DeliveryView::of).toList();
    }

    public DeliveryView redeliver(Actor actor, long endpointId, long deliveryId) {
        find(endpointId);
        WebhookDelivery d = WebhookDelivery.findById(deliveryId);
        if (d == null || !d.endpointId.equals(endpointId)) {
            throw ApiException.notFound("Delivery " + deliveryId);
        }
        d.status = WebhookDelivery.Status.PENDING;
        d.attempts = 0;
        d.nextAttemptAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        d.leaseUntil = null;
        audit.record(actor, "webhook.redelivered", "WEBHOOK_DELIVERY", d.messageId, null, Map.of("endpoint", endpointId));
        return DeliveryView.of(d);
    }

    private record Validated(String url, String secret, List<String> events, String description, boolean enabled) {
    }

    private Validated validate(EndpointRequest body, boolean creating) {
        if (body == null) {
            throw ApiException.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        String url = Texts.singleLine(body.url(), "url", 2000, true, errors);
        if (url != null) {
            String refused = WebhookTargetGuard.checkUrl(url, config.webhooks().allowPrivateTargets());
            if (refused != null) {
                errors.add("url", refused);
            }
        }
        if (body.secret() != null) {
            try {
                WebhookSigner.key(body.secret());
            } catch (IllegalArgumentException e) {
                errors.add("secret", "must be a Standard Webhooks secret whsec_<base64>: " + e.getMessage());
            }
        }
        Set<String> events = new LinkedHashSet<>();
        if (body.events() == null || body.events().isEmpty()) {
            errors.add("events", "must name at least one of " + Arrays.stream(WebhookEvent.values()).map(WebhookEvent::type).toList());
        } else {
            for (int i = 0; i < body.events().size(); i++) {
                String type = body.events().get(i);
                if (type == null || WebhookEvent.of(type).isEmpty()) {
                    errors.add("events[" + i + "]", "must be one of " + Arrays.stream(WebhookEvent.values()).map(WebhookEvent::type).toList());
                } else {
                    events.add(type);
                }
            }
        }
        String description = Texts.singleLine(body.description(), "description", 200, false, errors);
        errors.throwIfAny();
        return new Validated(url, body.secret(), List.copyOf(events), description, body.enabled() == null || body.enabled());
    }

    private static void apply(WebhookEndpoint e, Validated v) {
        e.url = v.url();
        e.events = String.join(",", v.events());
        e.description = v.description();
        e.enabled = v.enabled();
    }

    private static WebhookEndpoint find(long id) {
        WebhookEndpoint e = WebhookEndpoint.findById(id);
        if (e == null) {
            throw ApiException.notFound("Webhook " + id);
        }
        return e;
    }

    /** What the audit log keeps of an endpoint: everything but the secret. */
    private static Map<String, Object> auditView(WebhookEndpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", e.url);
        m.put("events", e.eventList());
        m.put("enabled", e.enabled);
        m.put("description", e.description);
        return m;
    }
}
