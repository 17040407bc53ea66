package com.mailgov.peoplesync;

import com.mailgov.directory.MailAddresses;
import com.mailgov.peoplesync.DirectorySourceDtos.AttributeMapping;
import com.mailgov.peoplesync.DirectorySourceDtos.DirectoryEntryProblem;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns directory entries into people: each entry either becomes a {@link Person} or is reported
 * and skipped (no mail, an invalid or outside address, a mail another entry has too, a department
 * with no mapping). Every entry's DN and readable addresses are "seen", bad or not, so a person
 * whose entry turned bad is never taken for a leaver.
 */
final class PersonReader {

    /** AD's accountExpires: 100-ns intervals since 1601-01-01 UTC; 0 and 2^63-1 mean never. */
    private static final long FILETIME_EPOCH_OFFSET_SECONDS = 11_644_473_600L;
    private static final Pattern DIGITS = Pattern.compile("\\d{15,19}");
    private static final Pattern GENERALIZED = Pattern.compile("\\d{14}(\\.\\d{1,6})?(Z|[+-]\\d{4})");
    private static final int MAX_DISPLAY_NAME = 200;

    record Result(List<Person> people, List<DirectoryEntryProblem> problems, Set<String> seenDns, Set<String> seenAddresses) {
    }

    private PersonReader() {
    }

    static Result read(List<LdapSearch.Entry> entries, AttributeMapping a, Map<String, String> departments, ZoneId zone,
                       Predicate<String> internal) {
        List<DirectoryEntryProblem> problems = new ArrayList<>();
        Set<String> seenDns = new LinkedHashSet<>();
        Set<String> seenAddresses = new LinkedHashSet<>();
        Map<String, List<String>> dnsByAddress = new HashMap<>();
        List<Person> candidates = new ArrayList<>();
        for (LdapSearch.Entry e : entries) {
            seenDns.add(e.dn().toLowerCase(Locale.ROOT));
            List<String> mails = e.all(a.mail());
            String primaryProxy = proxies(e, a, true).stream().findFirst().orElse(null);
            String raw = !mails.isEmpty() ? mails.get(0) : primaryProxy;
            if (raw == null || raw.isBlank()) {
                problems.add(new DirectoryEntryProblem(e.dn(), null, "no mail (" + a.mail() + ")", true));
                continue;
            }
            MailAddresses.Result mail = MailAddresses.normalise(raw.trim());
            if (!mail.ok()) {
                problems.add(new DirectoryEntryProblem(e.dn(), raw, "invalid address: " + mail.error(), true));
                continue;
            }
            String address = mail.address();
            seenAddresses.add(address);
            dnsByAddress.computeIfAbsent(address, k -> new ArrayList<>()).add(e.dn());
            if (!internal.test(address)) {
                problems.add(new DirectoryEntryProblem(e.dn(), address, "not in a company domain (/api/v1/domains)", true));
                continue;
            }
            String departmentValue = e.first(a.department());
            String department = departmentValue == null ? null : departments.get(departmentValue.trim());
            if (department == null) {
                problems.add(new DirectoryEntryProblem(e.dn(), address, departmentValue == null ? "no department (" + a.department() + ")"
                        : "department '" + departmentValue.trim() + "' has no mapping in departments", true));
                continue;
            }
            Instant leaving = null;
            String leavingRaw = e.first(a.leavingDate());
            if (leavingRaw != null) {
                try {
                    leaving = leavingTime(leavingRaw.trim(), zone);
                } catch (DateTimeException | NumberFormatException ex) {
                    // Unreadable: treat as no leaving date (removing someone's forwards needs a clear signal).
                    problems.add(new DirectoryEntryProblem(e.dn(), address, "leaving date '" + leavingRaw + "' is not a date; ignored", false));
                }
            }
            String name = e.first(a.displayName());
            if (name != null) {
                name = name.strip();
                if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl)) {
                    problems.add(new DirectoryEntryProblem(e.dn(), address, "display name has control characters; left out", false));
                    name = null;
                } else if (name.length() > MAX_DISPLAY_NAME) {
                    name = name.substring(0, MAX_DISPLAY_NAME);
                }
            }
            candidates.add(new Person(e.dn(), address, name, department, aliases(e, a, address, internal, problems), leaving));
        }
        // A mail two entries claim belongs to neither: which one is right is for a person to say.
        List<Person> people = new ArrayList<>();
        for (Person p : candidates) {
            List<String> dns = dnsByAddress.get(p.address());
            if (dns.size() > 1) {
                problems.add(new DirectoryEntryProblem(p.dn(), p.address(), "duplicate mail: also in "
                        + String.join(", ", dns.stream().filter(d -> !d.equals(p.dn())).toList()), true));
            } else {
                people.add(p);
            }
        }
        return new Result(people, problems, seenDns, seenAddresses);
    }

    /** smtp:/SMTP: values of the alias attributes (SMTP: is the primary), without the prefix. */
    private static List<String> proxies(LdapSearch.Entry e, AttributeMapping a, boolean primaryOnly) {
        List<String> out = new ArrayList<>();
        for (String attribute : a.aliases()) {
            for (String v : e.all(attribute)) {
                if (v.regionMatches(true, 0, "smtp:", 0, 5) && (!primaryOnly || v.startsWith("SMTP:"))) {
                    out.add(v.substring(5).trim());
                }
            }
        }
        return out;
    }

    private static List<String> aliases(LdapSearch.Entry e, AttributeMapping a, String address, Predicate<String> internal,
                                        List<DirectoryEntryProblem> problems) {
        Set<String> raw = new LinkedHashSet<>(proxies(e, a, false));
        for (String attribute : a.aliases()) {
            if (attribute.equalsIgnoreCase(a.mail())) {
                List<String> mails = e.all(attribute);
                raw.addAll(mails.subList(Math.min(1, mails.size()), mails.size()));
            }
        }
        List<String> aliases = new ArrayList<>();
        for (String r : raw) {
            MailAddresses.Result alias = MailAddresses.normalise(r);
            if (!alias.ok()) {
                problems.add(new DirectoryEntryProblem(e.dn(), address, "alias '" + r + "' is invalid: " + alias.error() + "; left out", false));
            } else if (!internal.test(alias.address())) {
                problems.add(new DirectoryEntryProblem(e.dn(), address, "alias " + alias.address() + " is not in a company domain; left out", false));
            } else if (!alias.address().equals(address) && !aliases.contains(alias.address())) {
                aliases.add(alias.address());
            }
        }
        return aliases;
    }

    /** When the person leaves: the instant given, or the end of the day given in the company's zone. */
    static Instant leavingTime(String v, ZoneId zone) {
        if (DIGITS.matcher(v).matches()) {
            long ticks = Long.parseLong(v);
            if (ticks == 0 || ticks == Long.MAX_VALUE) {
                return null;
            }
            return Instant.ofEpochSecond(ticks / 10_000_000L - FILETIME_EPOCH_OFFSET_SECONDS, (ticks % 10_000_000L) * 100);
        }
        if (GENERALIZED.matcher(v).matches()) {
            String normal = v.endsWith("Z") ? v.substring(0, v.length() - 1) + "+0000" : v;
            String noFraction = normal.replaceFirst("\\.\\d+", "");
            return OffsetDateTime.parse(noFraction, DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ")).toInstant();
        }
        if (v.length() == 10) {
            return LocalDate.parse(v).plusDays(1).atStartOfDay(zone).toInstant();
        }
        return OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC).toInstant();
    }
}
