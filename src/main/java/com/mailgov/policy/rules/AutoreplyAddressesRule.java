package com.mailgov.policy.rules;

import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Finding.Edge;
import com.mailgov.policy.Finding.EdgeKind;
import com.mailgov.policy.PolicyContext;
import com.mailgov.policy.NamedRule;
import com.mailgov.policy.RuleConfig;
import com.mailgov.policy.Severity;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An autoreply answers only mail addressed to the mailbox or to its {@code addresses} (RFC 5230
 * §4.5). Aliases that deliver to the mailbox but are missing there get no reply, or one that
 * names the wrong address. The pushed script already adds every internal address that forwards
 * straight to the mailbox (push/pipeline/DesiredState#aliasesOf), so only aliases of aliases
 * (two or more hops) can be missing; warning about the others would be a false alarm.
 */
@ApplicationScoped
public class AutoreplyAddressesRule extends NamedRule {

    public static final String ID = "autoreply-addresses";
    private static final int MAX_ALIASES = 10_000;

    public AutoreplyAddressesRule() {
        super(ID, Severity.WARN,
                "Autoreplies whose addresses miss aliases that deliver to the mailbox");
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, RuleConfig config) {
        DirectoryView view = context.proposed();
        Set<String> mailboxes = new LinkedHashSet<>();
        context.added(ObjectKind.AUTOREPLY, AutoreplySpec.class).forEach(a -> mailboxes.add(a.mailbox()));
        context.added(ObjectKind.FORWARD, ForwardSpec.class).forEach(f -> mailboxes.addAll(f.targets()));
        List<Finding> findings = new ArrayList<>();
        for (String mailbox : mailboxes) {
            view.get(ObjectKind.AUTOREPLY, mailbox).ifPresent(e -> {
                AutoreplySpec autoreply = (AutoreplySpec) e.spec();
                Set<String> direct = view.forwardSourcesTo(mailbox);
                List<String> missing = forwardedFrom(view, mailbox).stream()
                        .filter(alias -> !alias.equals(mailbox) && context.isInternal().test(alias))
                        .filter(alias -> !direct.contains(alias)) // the pushed script lists these by itself
                        .filter(alias -> autoreply.addresses() == null || !autoreply.addresses().contains(alias))
                        .sorted().toList();
                if (!missing.isEmpty()) {
                    findings.add(new Finding(ID, config.severity(),
                            "The autoreply for " + mailbox + " does not list " + String.join(", ", missing)
                                    + " in addresses: mail sent there gets no reply, or one that names the wrong address.",
                            mailbox + " の自動応答の addresses に " + String.join("、", missing)
                                    + " が含まれていません。これらの宛先へのメールには返信されないか、誤ったアドレスで返信されます。",
                            List.of(missing.get(0), mailbox),
                            missing.stream().map(alias -> new Edge(alias, mailbox, EdgeKind.FORWARD)).toList(),
                            "Add the aliases to the autoreply's addresses.",
                            "エイリアスを自動応答の addresses に追加してください。",
                            null));
                }
            });
        }
        return findings;
    }

    /** Every address whose mail reaches the mailbox through forwards, over any number of hops (bounded). */
    private static Set<String> forwardedFrom(DirectoryView view, String mailbox) {
        Set<String> seen = new LinkedHashSet<>();
        java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>(List.of(mailbox));
        while (!queue.isEmpty() && seen.size() < MAX_ALIASES) {
            for (String source : view.forwardSourcesTo(queue.poll())) {
                if (!source.equals(mailbox) && seen.add(source)) {
                    queue.add(source);
                }
            }
        }
        return seen;
    }
}
