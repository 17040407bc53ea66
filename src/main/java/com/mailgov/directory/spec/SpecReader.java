package com.mailgov.directory.spec;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.MailAddresses;
import com.mailgov.directory.domains.CompanyDomains;
import com.mailgov.directory.ObjectKind;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.JsonErrors;
import com.mailgov.web.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code spec} of a change item into its record, checks every field and returns the
 * normalised spec (addresses lower-cased and IDN-converted, text as {@link Texts} leaves it). Errors name
 * the field under the given prefix ({@code items[2].spec.targets[0]}).
 */
@ApplicationScoped
public class SpecReader {

    public static final int MAX_TARGETS = 100;
    public static final int MAX_MEMBERS = 10_000;
    public static final int MAX_EXTRA_ADDRESSES = 50;
    public static final int MAX_INTERVAL_DAYS = 365;
    public static final int MAX_HEADER_TEXT = 200;

    @Inject
    ObjectMapper json;

    @Inject
    MailgovConfig config;

    @Inject
    CompanyDomains domains;

    @Inject
    com.mailgov.config.CompanyTime time;

    /**
     * @param prefix  field path of the spec, ending in a dot ({@code items[0].spec.})
     * @param keyOnly true for DELETE: only the identifying fields are read and required
     * @return the normalised spec, or null when errors were added
     */
    public DirectorySpec read(ObjectKind kind, JsonNode node, boolean keyOnly, String prefix, FieldErrors errors) {
        if (node == null || !node.isObject()) {
            errors.add(prefix.substring(0, prefix.length() - 1), "must be a JSON object");
            return null;
        }
        if (kind == ObjectKind.AUTOREPLY) {
            node = withInstants(node.deepCopy(), prefix, errors);
            if (node == null) {
                return null;
            }
        }
        DirectorySpec raw;
        try {
            raw = json.treeToValue(node, DirectorySpec.typeOf(kind));
        } catch (JsonMappingException e) {
            errors.add(prefix + JsonErrors.path(e), JsonErrors.message(e));
            return null;
        } catch (Exception e) {
            errors.add(prefix, "is not a valid " + kind + " spec");
            return null;
        }
        int before = errors.size();
        DirectorySpec normalised;
        if (raw instanceof MailboxSpec s) {
            normalised = mailbox(s, keyOnly, prefix, errors);
        } else if (raw instanceof ForwardSpec s) {
            normalised = forward(s, keyOnly, prefix, errors);
        } else if (raw instanceof MailingListSpec s) {
            normalised = list(s, keyOnly, prefix, errors);
        } else if (raw instanceof ListMemberSpec s) {
            normalised = member(s, prefix, errors);
        } else if (raw instanceof ExternalSubscriptionSpec s) {
            normalised = subscription(s, keyOnly, prefix, errors);
        } else {
            normalised = autoreply((AutoreplySpec) raw, keyOnly, prefix, errors);
        }
        return errors.size() == before ? normalised : null;
    }

    /**
     * startsAt/endsAt as people write them: a plain date means the whole day in the company's zone
     * (an end date includes that day: the period ends at the next midnight there), a time without
     * offset means that time in the company's zone, a time with offset (or Z) is that instant.
     */
    private JsonNode withInstants(JsonNode node, String prefix, FieldErrors errors) {
        if (!(node instanceof com.fasterxml.jackson.databind.node.ObjectNode object)) {
            return node;
        }
        int before = errors.size();
        for (String field : List.of("startsAt", "endsAt")) {
            JsonNode value = object.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            java.time.Instant instant = value.isTextual() ? instantOf(value.asText().trim(), field.equals("endsAt")) : null;
            if (instant == null) {
                errors.add(prefix + field, "must be a date (2026-12-01: the whole day in " + time.zone()
                        + "), a date and time with offset (2026-12-01T09:00+09:00) or a date and time in " + time.zone()
                        + " (2026-12-01T09:00)");
            } else {
                object.put(field, instant.toString());
            }
        }
        return errors.size() == before ? object : null;
    }

    private java.time.Instant instantOf(String text, boolean end) {
        java.time.ZoneId zone = time.zone();
        try {
            if (text.length() == 10) {
                java.time.LocalDate day = java.time.LocalDate.parse(text);
                return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            java.time.temporal.TemporalAccessor parsed = java.time.format.DateTimeFormatter.ISO_DATE_TIME
                    .parseBest(text, java.time.OffsetDateTime::from, java.time.LocalDateTime::from);
            return parsed instanceof java.time.OffsetDateTime o ? o.toInstant()
                    : ((java.time.LocalDateTime) parsed).atZone(zone).toInstant();
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    public boolean isInternal(String normalisedAddress) {
        return domains.isInternal(normalisedAddress);
    }

    private MailboxSpec mailbox(MailboxSpec s, boolean keyOnly, String p, FieldErrors errors) {
        String address = internalAddress(s.address(), p + "address", errors);
        if (keyOnly) {
            return new MailboxSpec(address, null);
        }
        return new MailboxSpec(address, Texts.singleLine(s.displayName(), p + "displayName", MAX_HEADER_TEXT, false, errors));
    }

    private ForwardSpec forward(ForwardSpec s, boolean keyOnly, String p, FieldErrors errors) {
        String source = internalAddress(s.source(), p + "source", errors);
        if (keyOnly) {
            return new ForwardSpec(source, null, null);
        }
        List<String> targets = addresses(s.targets(), p + "targets", 1, MAX_TARGETS, errors);
        return new ForwardSpec(source, targets, s.keepCopy() != null && s.keepCopy());
    }

    private MailingListSpec list(MailingListSpec s, boolean keyOnly, String p, FieldErrors errors) {
        String address = internalAddress(s.address(), p + "address", errors);
        if (keyOnly) {
            return new MailingListSpec(address, null, null, null, null);
        }
        String name = Texts.singleLine(s.name(), p + "name", MAX_HEADER_TEXT, true, errors);
        List<String> members = s.members() == null ? null : addresses(s.members(), p + "members", 0, MAX_MEMBERS, errors);
        return new MailingListSpec(address, name, members,
                s.replyToList() != null && s.replyToList(),
                s.addsListHeaders() == null || s.addsListHeaders());
    }

    private ListMemberSpec member(ListMemberSpec s, String p, FieldErrors errors) {
        return new ListMemberSpec(internalAddress(s.list(), p + "list", errors), address(s.member(), p + "member", errors));
    }

    private ExternalSubscriptionSpec subscription(ExternalSubscriptionSpec s, boolean keyOnly, String p, FieldErrors errors) {
        String mailbox = internalAddress(s.mailbox(), p + "mailbox", errors);
        String list = address(s.listAddress(), p + "listAddress", errors);
        if (list != null && isInternal(list)) {
            errors.add(p + "listAddress", "is an internal address; an internal list is a MAILING_LIST, not an external subscription");
        }
        if (keyOnly) {
            return new ExternalSubscriptionSpec(mailbox, list, null, null);
        }
        return new ExternalSubscriptionSpec(mailbox, list, s.replyToList(), s.addsListHeaders());
    }

    private AutoreplySpec autoreply(AutoreplySpec s, boolean keyOnly, String p, FieldErrors errors) {
        String mailbox = internalAddress(s.mailbox(), p + "mailbox", errors);
        if (keyOnly) {
            return new AutoreplySpec(mailbox, null, null, null, null, null, null, null);
        }
        String subject = Texts.singleLine(s.subject(), p + "subject", MAX_HEADER_TEXT, true, errors);
        String body = Texts.multiLine(s.body(), p + "body", config.limits().maxAutoreplyBody(), true, errors);
        if (s.intervalDays() == null) {
            errors.add(p + "intervalDays", "is required (days between two replies to the same sender)");
        } else if (s.intervalDays() < 0 || s.intervalDays() > MAX_INTERVAL_DAYS) {
            errors.add(p + "intervalDays", "must be between 0 and " + MAX_INTERVAL_DAYS);
        }
        if (s.audience() == null) {
            errors.add(p + "audience", "is required: INTERNAL or ALL");
        }
        if (s.startsAt() != null && s.endsAt() != null && !s.endsAt().isAfter(s.startsAt())) {
            errors.add(p + "endsAt", "must be after startsAt");
        }
        List<String> extra = s.addresses() == null ? List.of()
                : addresses(s.addresses(), p + "addresses", 0, MAX_EXTRA_ADDRESSES, errors);
        return new AutoreplySpec(mailbox, subject, body, s.startsAt(), s.endsAt(), s.intervalDays(), s.audience(), extra);
    }

    private String internalAddress(String raw, String field, FieldErrors errors) {
        String address = address(raw, field, errors);
        if (address != null && !isInternal(address)) {
            List<String> known = domains.list();
            errors.add(field, known.isEmpty()
                    ? "must be in a company domain, and none is defined yet: an admin adds them at /api/v1/domains"
                    : "must be in a company domain " + known);
            return null;
        }
        return address;
    }

    private String address(String raw, String field, FieldErrors errors) {
        MailAddresses.Result result = MailAddresses.normalise(raw);
        if (!result.ok()) {
            errors.add(field, result.error());
            return null;
        }
        return result.address();
    }

    private List<String> addresses(List<String> raw, String field, int min, int max, FieldErrors errors) {
        if (raw == null) {
            if (min > 0) {
                errors.add(field, "is required");
            }
            return List.of();
        }
        if (raw.size() < min || raw.size() > max) {
            errors.add(field, "must have between " + min + " and " + max + " entries");
            return List.of();
        }
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String a = address(raw.get(i), field + "[" + i + "]", errors);
            if (a != null && !seen.add(a)) {
                errors.add(field + "[" + i + "]", "duplicates an earlier entry (" + a + ")");
            }
        }
        return new ArrayList<>(seen);
    }
}
