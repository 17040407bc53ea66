package com.mailgov.push;

import com.mailgov.directory.spec.AutoreplySpec;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Generates the Sieve script (RFC 5228 + vacation RFC 5230) for an autoreply, safe against
 * injection: quoted strings escape {@code \} and {@code "}; header-bound values with CR, LF or NUL
 * are refused; the body is a {@code text:} block with CRLF line ends and dot-stuffing; the script
 * never requires "variables" or "encoded-character", so {@code ${…}} in user text stays text.
 * Replies are at most one per sender per interval (never below one day), answer only the mailbox
 * and its aliases ({@code :addresses}), and with audience INTERNAL only internal envelope senders.
 * The period is checked to the second with {@code currentdate :zone}: on from {@code startsAt},
 * off from {@code endsAt}. Pigeonhole compares the current time, written in the given zone offset,
 * with our ISO-8601 text as strings, so both must use the same fixed offset: each bound is written
 * in the offset its own instant has in the company's zone, and that same offset is given as
 * {@code :zone}. A period across a daylight-saving change is then still exact (each comparison is
 * in one fixed offset); only the text differs (+01:00 for the start, +02:00 for the end).
 */
public final class SieveVacationScript {

    /** Stable handle: edits of subject or text do not restart "who already got a reply". */
    static final String HANDLE = "mailgov-autoreply";
    /** What Pigeonhole's "iso8601" date part looks like: seconds, and Z for a zero offset. */
    private static final DateTimeFormatter ISO8601 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");
    /** A {@code :zone} argument: +0900, -0500, +0000. */
    private static final DateTimeFormatter ZONE = DateTimeFormatter.ofPattern("xx");

    private SieveVacationScript() {
    }

    /** @param zone the company's zone: only how the times are written; the instants compared are the same in any zone */
    public static String generate(AutoreplySpec autoreply, Collection<String> aliases, Collection<String> internalDomains,
                                  ZoneId zone) {
        List<String> requires = new ArrayList<>(List.of("vacation"));
        List<String> conditions = new ArrayList<>();
        if (autoreply.audience() == AutoreplySpec.Audience.INTERNAL) {
            requires.add("envelope");
            conditions.add("envelope :domain :is \"from\" " + stringList(internalDomains));
        }
        if (autoreply.startsAt() != null || autoreply.endsAt() != null) {
            requires.add("date");
            requires.add("relational");
            if (autoreply.startsAt() != null) {
                conditions.add(currentdate("ge", autoreply.startsAt(), zone));
            }
            if (autoreply.endsAt() != null) {
                conditions.add(currentdate("lt", autoreply.endsAt(), zone));
            }
        }
        List<String> addresses = new ArrayList<>();
        addresses.add(autoreply.mailbox());
        if (autoreply.addresses() != null) {
            autoreply.addresses().stream().filter(a -> !addresses.contains(a)).forEach(addresses::add);
        }
        aliases.stream().filter(a -> !addresses.contains(a)).sorted().forEach(addresses::add);

        StringBuilder s = new StringBuilder();
        s.append("# mailgov: autoreply for ").append(headerSafe(autoreply.mailbox()))
                .append(" (managed by mailgov; changes made here are overwritten)\r\n");
        s.append("require ").append(stringList(requires)).append(";\r\n");
        String vacation = "vacation :days " + Math.max(1, autoreply.intervalDays())
                + " :handle " + quoted(HANDLE)
                + " :subject " + quoted(headerSafe(autoreply.subject()))
                + " :addresses " + stringList(addresses)
                + " text:\r\n" + dotStuffed(autoreply.body()) + ".\r\n;\r\n";
        if (conditions.isEmpty()) {
            s.append(vacation);
        } else {
            s.append(conditions.size() == 1 ? "if " + conditions.get(0) : "if allof (" + String.join(", ", conditions) + ")")
                    .append(" {\r\n").append(vacation).append("}\r\n");
        }
        return s.toString();
    }

    private static String currentdate(String relation, Instant instant, ZoneId zone) {
        ZonedDateTime local = instant.atZone(zone);
        return "currentdate :zone " + quoted(ZONE.format(local)) + " :value " + quoted(relation) + " \"iso8601\" "
                + quoted(ISO8601.format(local.toOffsetDateTime()));
    }

    /** A Sieve quoted string. */
    static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String stringList(Collection<String> values) {
        return "[" + String.join(", ", values.stream().map(SieveVacationScript::quoted).toList()) + "]";
    }

    /** The body as a text: block: CRLF line ends, a leading dot doubled, never the terminating lone dot. */
    static String dotStuffed(String body) {
        StringBuilder out = new StringBuilder();
        for (String line : body.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            out.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        return out.toString();
    }

    /** Header-bound values were checked at the API; this refuses anything that slipped through. */
    private static String headerSafe(String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("CR, LF or NUL in a header-bound value");
        }
        return value;
    }
}
