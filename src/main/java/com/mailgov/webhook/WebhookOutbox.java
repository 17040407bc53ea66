package com.mailgov.webhook;

import com.mailgov.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.FlushModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Queues an event for every enabled endpoint that subscribed to it, in the caller's transaction:
 * the event is sent if and only if the action it reports was committed.
 */
@ApplicationScoped
public class WebhookOutbox {

    @Inject
    Json json;

    /** Queues the same data as each of the events (one look-up of the endpoints for all). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(Object data, WebhookEvent... events) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // Endpoints are never changed in a transaction that publishes: no flush (and no dirty check of the caller's session) first.
        List<WebhookEndpoint> endpoints = WebhookEndpoint.getEntityManager()
                .createQuery("FROM WebhookEndpoint WHERE enabled = true", WebhookEndpoint.class)
                .setFlushMode(FlushModeType.COMMIT)
                .getResultList();
        for (WebhookEvent event : events) {
            for (WebhookEndpoint endpoint : endpoints) {
                if (endpoint.eventList().contains(event.type())) {
                    queue(endpoint, event, data, now);
                }
            }
        }
    }

    private void queue(WebhookEndpoint endpoint, WebhookEvent event, Object data, Instant now) {
        WebhookDelivery delivery = new WebhookDelivery();
        delivery.endpointId = endpoint.id;
        delivery.messageId = "msg_" + UUID.randomUUID().toString().replace("-", "");
        delivery.eventType = event.type();
        delivery.payload = payload(event, now, data);
        delivery.status = WebhookDelivery.Status.PENDING;
        delivery.attempts = 0;
        delivery.nextAttemptAt = now;
        delivery.createdAt = now;
        delivery.persist();
    }

    /** The Standard Webhooks envelope: {type, timestamp, data}. */
    private String payload(WebhookEvent event, Instant at, Object data) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", event.type());
        envelope.put("timestamp", at.toString());
        envelope.put("data", data);
        return json.write(envelope);
    }
}
