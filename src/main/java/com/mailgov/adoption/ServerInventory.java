package com.mailgov.adoption;

import com.mailgov.adoption.ImportDtos.Problem;
import com.mailgov.adoption.ImportDtos.ResponderSeen;
import com.mailgov.adoption.ImportDtos.ScriptSeen;
import com.mailgov.directory.MailAddresses;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.directory.spec.SpecReader;
import com.mailgov.policy.facts.ObservedFact;
import com.mailgov.push.connector.ActiveSieveReader;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ArtifactType;
import com.mailgov.sieve.SieveAnalysis;
import com.mailgov.sieve.SieveLoopFacts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What one server holds, as directory objects the import can propose, plus what cannot be
 * represented (with the reason) and the loop facts of users' own Sieve scripts. Reading is done
 * by the caller; this class only interprets, row by row, so one odd row never spoils the rest.
 */
final class ServerInventory {

    /** A directory object found on the server, with the server artifacts it stands for. */
    record Found(DirectorySpec spec, List<ArtifactKey> artifacts) {
        String address() {
            if (spec instanceof ListMemberSpec m) {
                return m.list(); // a membership belongs with its list
            }
            return spec.key();
        }
    }

    final List<Found> found = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();
    final List<ScriptSeen> scripts = new ArrayList<>();
    final List<ObservedFact> facts = new ArrayList<>();
    int read;

    private final Predicate<String> isInternal;

    ServerInventory(Predicate<String> isInternal) {
        this.isInternal = isInternal;
    }

    /** Postfix virtual alias rows: {@code source → "t1, t2"}; {@code reporter} names the source of loop facts. */
    void aliases(Map<ArtifactKey, String> rows, String reporter, String serverName) {
        for (Map.Entry<ArtifactKey, String> row : rows.entrySet()) {
            if (row.getKey().type() != ArtifactType.ALIAS) {
                continue;
            }
            read++;
            String artifact = row.getKey().toString();
            String rawSource = row.getKey().key();
            if (rawSource.startsWith("@")) {
                problems.add(new Problem(artifact, "catch-all for the whole domain " + rawSource.substring(1)
                        + " (→ " + row.getValue() + "): a forward needs one source address, so it stays on the server,"
                        + " unmanaged; it is listed in the risk report"));
                continue;
            }
            MailAddresses.Result source = MailAddresses.normalise(rawSource);
            if (!source.ok()) {
                problems.add(new Problem(artifact, "source is not an address mailgov can manage: " + source.error()));
                continue;
            }
            if (!isInternal.test(source.address())) {
                problems.add(new Problem(artifact, "source domain " + MailAddresses.domainOf(source.address())
                        + " is not one of the company's domains"));
                continue;
            }
            List<String> targets = new ArrayList<>();
            boolean keepCopy = false;
            List<String> dropped = new ArrayList<>();
            for (String part : row.getValue() == null ? new String[0] : row.getValue().split("[,\\s]+")) {
                String t = part.strip();
                if (t.isEmpty()) {
                    continue;
                }
                if (t.startsWith("|") || t.startsWith("/") || t.startsWith(":include:") || t.startsWith("\"|")) {
                    dropped.add(t + " (a " + (t.contains("|") ? "pipe to a program" : t.startsWith(":include:") ? "file include" : "file")
                            + ": not a mail address)");
                    continue;
                }
                MailAddresses.Result r = MailAddresses.normalise(t);
                if (!r.ok()) {
                    dropped.add(t + " (" + r.error() + ")");
                } else if (r.address().equals(source.address())) {
                    keepCopy = true; // a → a: deliver here too
                } else if (!targets.contains(r.address())) {
                    targets.add(r.address());
                }
            }
            if (targets.size() > SpecReader.MAX_TARGETS) {
                dropped.add((targets.size() - SpecReader.MAX_TARGETS) + " targets beyond the limit of " + SpecReader.MAX_TARGETS);
                targets = new ArrayList<>(targets.subList(0, SpecReader.MAX_TARGETS));
            }
            if (!dropped.isEmpty()) {
                // A forward cannot hold the rest of the row: adopted, the row would be rewritten without it
                // by the next reconcile in ENFORCE. So the row stays the server's (unmanaged), whole; its
                // address targets still carry mail, so the loop checks see them as an observed fact.
                problems.add(new Problem(artifact, "not imported, stays unmanaged on the server: "
                        + String.join("; ", dropped)));
                if (!targets.isEmpty()) {
                    facts.add(new ObservedFact(reporter, serverName + ": " + artifact + " (not imported)",
                            new ForwardSpec(source.address(), List.copyOf(targets), keepCopy)));
                }
                continue;
            }
            if (targets.isEmpty()) {
                if (dropped.isEmpty()) {
                    problems.add(new Problem(artifact, "delivers only to itself: a mailbox, not a forward"));
                }
                continue;
            }
            found.add(new Found(new ForwardSpec(source.address(), List.copyOf(targets), keepCopy), List.of(row.getKey())));
        }
    }

    /** Mailman lists ({@code LIST} content: sorted name=value lines) and memberships. */
    void lists(Map<ArtifactKey, String> artifacts) {
        Map<String, List<String>> members = new TreeMap<>();
        Map<String, List<ArtifactKey>> memberKeys = new TreeMap<>();
        for (ArtifactKey k : artifacts.keySet()) {
            if (k.type() == ArtifactType.LIST_MEMBER) {
                int bar = k.key().indexOf('|');
                String list = k.key().substring(0, bar);
                members.computeIfAbsent(list, x -> new ArrayList<>()).add(k.key().substring(bar + 1));
                memberKeys.computeIfAbsent(list, x -> new ArrayList<>()).add(k);
            }
        }
        for (Map.Entry<ArtifactKey, String> e : artifacts.entrySet()) {
            if (e.getKey().type() != ArtifactType.LIST) {
                continue;
            }
            read++;
            String artifact = e.getKey().toString();
            Map<String, String> settings = settings(e.getValue());
            MailAddresses.Result address = MailAddresses.normalise(e.getKey().key());
            if (!address.ok()) {
                problems.add(new Problem(artifact, "list address is not an address mailgov can manage: " + address.error()));
                continue;
            }
            if (!isInternal.test(address.address())) {
                problems.add(new Problem(artifact, "list domain " + MailAddresses.domainOf(address.address())
                        + " is not one of the company's domains"));
                continue;
            }
            String name = settings.getOrDefault("display_name", "").strip();
            if (name.isEmpty() || name.length() > SpecReader.MAX_HEADER_TEXT || name.chars().anyMatch(c -> c < 0x20)) {
                problems.add(new Problem(artifact, "display name " + (name.isEmpty() ? "is empty" : "is not one line of at most "
                        + SpecReader.MAX_HEADER_TEXT + " characters") + "; the list's address is used as its name"));
                name = address.address();
            }
            boolean replyToList = settings.getOrDefault("reply_goes_to_list", "").strip().equalsIgnoreCase("point_to_list");
            String headers = settings.getOrDefault("include_rfc2369_headers", "");
            boolean addsListHeaders = !headers.strip().equalsIgnoreCase("false");
            List<String> okMembers = new ArrayList<>();
            for (String m : members.getOrDefault(e.getKey().key(), List.of())) {
                MailAddresses.Result r = MailAddresses.normalise(m);
                if (r.ok()) {
                    okMembers.add(r.address());
                } else {
                    read++;
                    problems.add(new Problem(ArtifactKey.listMember(e.getKey().key(), m).toString(),
                            "member is not an address mailgov can manage: " + r.error()));
                }
            }
            read += okMembers.size();
            List<ArtifactKey> keys = new ArrayList<>();
            keys.add(e.getKey());
            keys.addAll(memberKeys.getOrDefault(e.getKey().key(), List.of()));
            // The list object carries no members: each membership is its own object, so a list with
            // more members than one item may hold still imports, and a repeated import adds only what is new.
            found.add(new Found(new MailingListSpec(address.address(), name, null, replyToList, addsListHeaders), List.of(e.getKey())));
            for (String m : new TreeSet<>(okMembers)) {
                found.add(new Found(new ListMemberSpec(address.address(), m), List.of(ArtifactKey.listMember(e.getKey().key(), m))));
            }
        }
    }

    /** Each mailbox and its active Sieve script: the mailbox is proposed, the script is analysed and becomes loop facts. */
    void mailboxes(String source, List<ActiveSieveReader.ActiveScript> seen) {
        for (ActiveSieveReader.ActiveScript s : seen) {
            read++;
            String artifact = "MAILBOX:" + s.mailbox();
            if (s.error() != null) {
                problems.add(new Problem(artifact, "could not read its Sieve scripts: " + s.error()));
            }
            MailAddresses.Result address = MailAddresses.normalise(s.mailbox());
            if (!address.ok() || !isInternal.test(address.address())) {
                problems.add(new Problem(artifact, address.ok() ? "domain " + MailAddresses.domainOf(address.address())
                        + " is not one of the company's domains" : "not an address mailgov can manage: " + address.error()));
                continue;
            }
            found.add(new Found(new MailboxSpec(address.address(), null), List.of()));
            if (s.name() == null) {
                continue;
            }
            read++;
            SieveAnalysis a = SieveAnalysis.of(s.text());
            scripts.add(new ScriptSeen(address.address(), s.name(), a.parses(), a.error(),
                    a.responders().stream().map(ResponderSeen::of).toList(), a.includes()));
            String scriptArtifact = "USER_SIEVE:" + address.address() + " \"" + s.name() + "\"";
            if (!a.parses()) {
                problems.add(new Problem(scriptArtifact, "the active Sieve script does not compile (" + a.error()
                        + "); Dovecot keeps every message in the inbox instead of running it. It stays the user's, unmanaged"));
            } else if (a.hasResponder()) {
                problems.add(new Problem(scriptArtifact, "a responder of the user's own ("
                        + String.join(", ", a.responders().stream().map(r -> r.kind().name().toLowerCase(Locale.ROOT)).toList())
                        + "): the script stays the user's, unmanaged, and the loop checks count it"));
            }
            facts.addAll(SieveLoopFacts.of(source, address.address(), s.name(), a));
        }
    }

    private static Map<String, String> settings(String content) {
        Map<String, String> out = new LinkedHashMap<>();
        if (content == null) {
            return out;
        }
        for (String line : content.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1));
            }
        }
        return out;
    }
}
