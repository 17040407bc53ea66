package com.mailgov.policy.rules;

import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.MailAddresses;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Finding.Edge;
import com.mailgov.policy.Finding.EdgeKind;
import com.mailgov.policy.NamedRule;
import com.mailgov.policy.PolicyContext;
import com.mailgov.policy.RuleConfig;
import com.mailgov.policy.Severity;
import com.mailgov.directory.domains.CompanyDomains;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A forward target or list member in a company domain that no mailbox, forward or list has: mail
 * to it bounces, and it is usually a typo ({@code satou@} for {@code sato@}). The finding names
 * the closest existing address. Only domains whose directory is marked complete (after an import)
 * are checked: before that, "not in the directory" says nothing.
 */
@ApplicationScoped
public class UnknownInternalAddressRule extends NamedRule {

    public static final String ID = "unknown-internal-address";

    /** Suggestions differ from the typed local part by at most this many edits. */
    static final int MAX_DISTANCE = 2;

    /** Suggestions are looked up for this many unknown addresses per request (each scans the directory). */
    static final int MAX_SUGGESTED = 20;

    private static final ObjectKind[] ADDRESS_KINDS = {ObjectKind.MAILBOX, ObjectKind.FORWARD, ObjectKind.MAILING_LIST};

    /** Set for plain-Java use (tests, benchmark); the service asks the company domains. */
    private final Predicate<String> completeDomain;

    @Inject
    Instance<CompanyDomains> domains;

    public UnknownInternalAddressRule() {
        this(null);
    }

    /** @param completeDomain which domains have a complete directory (only their addresses are checked) */
    public UnknownInternalAddressRule(Predicate<String> completeDomain) {
        super(ID, Severity.WARN,
                "Forward targets and list members at an address of a company domain whose directory is complete, "
                        + "that no mailbox, forward or list has (a typo?)");
        this.completeDomain = completeDomain;
    }

    private boolean complete(String address) {
        String domain = MailAddresses.domainOf(address);
        return completeDomain != null ? completeDomain.test(domain) : domains.get().isDirectoryComplete(domain);
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, RuleConfig config) {
        DirectoryView view = context.proposed();
        // target → the address that sends to it (forward source or list)
        Map<String, Edge> unknown = new LinkedHashMap<>();
        context.added(ObjectKind.FORWARD, ForwardSpec.class).forEach(f -> f.targets().stream()
                .filter(t -> !t.equals(f.source()))
                .forEach(t -> unknown.putIfAbsent(t, new Edge(f.source(), t, EdgeKind.FORWARD))));
        context.added(ObjectKind.LIST_MEMBER, ListMemberSpec.class)
                .forEach(m -> unknown.putIfAbsent(m.member(), new Edge(m.list(), m.member(), EdgeKind.MEMBER)));
        unknown.keySet().removeIf(a -> !context.isInternal().test(a) || !complete(a) || known(view, a));

        List<Finding> findings = new ArrayList<>();
        int suggested = 0;
        for (Map.Entry<String, Edge> e : unknown.entrySet()) {
            String address = e.getKey();
            Optional<String> guess = suggested++ < MAX_SUGGESTED ? closest(view, address) : Optional.empty();
            String from = e.getValue().from();
            findings.add(new Finding(ID, config.severity(),
                    from + " sends to " + address + ", which no mailbox, forward or list in the company has; mail to it would bounce."
                            + guess.map(g -> " Did you mean " + g + "?").orElse(""),
                    from + " の宛先 " + address + " は社内のどのメールボックス・転送・リストにもありません (届かずに返送されます)。"
                            + guess.map(g -> " " + g + " の誤りではありませんか?").orElse(""),
                    List.of(from, address), List.of(e.getValue()),
                    guess.map(g -> "Use " + g + " instead, or create " + address + " first.")
                            .orElse("Check the address, or create " + address + " first (or in the same request)."),
                    guess.map(g -> g + " に直すか、先に " + address + " を作成してください。")
                            .orElse("アドレスを確認するか、先に (または同じ申請で) " + address + " を作成してください。"),
                    null));
        }
        return findings;
    }

    private static boolean known(DirectoryView view, String address) {
        for (ObjectKind kind : ADDRESS_KINDS) {
            if (view.exists(kind, address)) {
                return true;
            }
        }
        return false;
    }

    /** The existing address in the same domain whose local part is fewest edits away (ties: alphabetical). */
    static Optional<String> closest(DirectoryView view, String address) {
        String domain = MailAddresses.domainOf(address);
        String local = address.substring(0, address.lastIndexOf('@'));
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (ObjectKind kind : ADDRESS_KINDS) {
            for (DirectoryEntry entry : view.all(kind)) {
                String candidate = entry.spec().key();
                int at = candidate.lastIndexOf('@');
                if (at < 0 || !candidate.regionMatches(at + 1, domain, 0, domain.length())
                        || candidate.length() - at - 1 != domain.length()) {
                    continue;
                }
                if (Math.abs(at - local.length()) > MAX_DISTANCE) {
                    continue;
                }
                int d = distance(local, candidate.substring(0, at), bestDistance);
                if (d < bestDistance || d == bestDistance && best != null && candidate.compareTo(best) < 0) {
                    best = candidate;
                    bestDistance = d;
                }
            }
        }
        return bestDistance <= MAX_DISTANCE ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Levenshtein distance, giving up (returning {@code limit + 1}) once it must exceed {@code limit}. */
    static int distance(String a, String b, int limit) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
