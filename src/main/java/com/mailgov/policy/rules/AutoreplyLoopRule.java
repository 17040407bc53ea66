package com.mailgov.policy.rules;

import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryView;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Finding.Edge;
import com.mailgov.policy.Finding.EdgeKind;
import com.mailgov.policy.MailFlow;
import com.mailgov.policy.PolicyContext;
import com.mailgov.policy.NamedRule;
import com.mailgov.policy.RuleConfig;
import com.mailgov.policy.RuleParameter;
import com.mailgov.policy.Severity;
import com.mailgov.policy.facts.FactView;
import com.mailgov.policy.facts.ObservedFact;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The incident this product exists for: an autoreply on a mailbox that a list (internal or
 * external) delivers to. The autoreply answers the list's post, the answer reaches the list,
 * the list sends it to every member — including the mailbox — and it answers again.
 *
 * <p>A list is answered when the autoreply's audience lets its sender in (INTERNAL answers only
 * internal lists) and the list does not mark its traffic with List-* headers (an RFC 3834/5230
 * autoreply ignores such mail; unknown counts as not marked). It is BLOCK when the loop is
 * unbounded (the autoreply answers every message) or the list points Reply-To at itself, or does
 * not declare whether it does (every reply re-enters the list: the worst case); otherwise WARN,
 * with the bounded volume.
 */
@ApplicationScoped
public class AutoreplyLoopRule extends NamedRule {

    public static final String ID = "autoreply-loop";
    private static final Set<EdgeKind> DELIVERY = Set.of(EdgeKind.FORWARD, EdgeKind.MEMBER, EdgeKind.SUBSCRIPTION);
    private static final int MAX_FINDINGS_PER_MAILBOX = 20;

    public AutoreplyLoopRule() {
        super(ID, Severity.WARN,
                "Autoreplies that can answer a mailing list which delivers back to the mailbox");
    }

    @Override
    public List<RuleParameter> parameters() {
        return List.of(
                new RuleParameter("postsPerHour", "Assumed posts per hour to a list, for the amplification estimate", 10, 1, 10_000),
                new RuleParameter("externalListMembers", "Assumed members of an external list whose size is unknown", 100, 1, 1_000_000));
    }

    @Override
    public List<Finding> evaluate(PolicyContext context, RuleConfig config) {
        DirectoryView view = context.proposed();
        List<Finding> findings = new ArrayList<>();
        for (String mailbox : affectedMailboxes(context)) {
            view.get(ObjectKind.AUTOREPLY, mailbox)
                    .ifPresent(e -> findings.addAll(loopsThrough(context, (AutoreplySpec) e.spec(), config)));
        }
        return findings;
    }

    /** Mailboxes with an autoreply that the request's new objects can bring into a loop. */
    private static Set<String> affectedMailboxes(PolicyContext context) {
        DirectoryView view = context.proposed();
        Set<String> mailboxes = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        for (ObjectChange c : context.changes()) {
            DirectorySpec after = c.after();
            if (after instanceof AutoreplySpec a) {
                mailboxes.add(a.mailbox());
            } else if (after instanceof ForwardSpec f) {
                queue.addAll(f.targets());
            } else if (after instanceof ListMemberSpec m) {
                queue.add(m.member());
            } else if (after instanceof ExternalSubscriptionSpec s) {
                queue.add(s.mailbox());
            } else if (after instanceof MailingListSpec l) {
                queue.add(l.address()); // its behaviour may have changed
            }
        }
        // Everything downstream of a new edge may now be reached by a list.
        Set<String> seen = new HashSet<>(queue);
        while (!queue.isEmpty() && seen.size() < 200_000) {
            String address = queue.poll();
            if (view.exists(ObjectKind.AUTOREPLY, address)) {
                mailboxes.add(address);
            }
            for (Edge edge : MailFlow.successors(view, address, DELIVERY)) {
                if (seen.add(edge.to())) {
                    queue.add(edge.to());
                }
            }
        }
        return mailboxes;
    }

    private List<Finding> loopsThrough(PolicyContext context, AutoreplySpec autoreply, RuleConfig config) {
        DirectoryView view = context.proposed();
        String mailbox = autoreply.mailbox();
        Map<String, Edge> upstream = MailFlow.upstream(view, mailbox);
        // A responder on the server that mailgov does not manage (a Sieve notify/redirect) may not
        // honour List-* headers at all.
        Optional<ObservedFact> handMade = FactView.observed(view, ObjectKind.AUTOREPLY, mailbox);
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, Edge> entry : upstream.entrySet()) {
            String list = entry.getKey();
            ListBehaviour behaviour = behaviourOf(view, list, entry.getValue(), context);
            if (behaviour == null) {
                continue; // not a list: a forward source
            }
            boolean answers = autoreply.audience() == AutoreplySpec.Audience.ALL || behaviour.internal();
            if (!answers || (Boolean.TRUE.equals(behaviour.addsListHeaders()) && !handMade.map(ObservedFact::ignoresListHeaders).orElse(false))) {
                continue;
            }
            findings.add(finding(view, autoreply, list, behaviour, MailFlow.downPath(upstream, list, mailbox), config,
                    handMade.orElse(null)));
            if (findings.size() >= MAX_FINDINGS_PER_MAILBOX) {
                break;
            }
        }
        return findings;
    }

    /** What is known of a list's behaviour; null when the address is no list. */
    private record ListBehaviour(boolean internal, Boolean replyToList, Boolean addsListHeaders, long members) {
    }

    private static ListBehaviour behaviourOf(DirectoryView view, String address, Edge down, PolicyContext context) {
        DirectoryEntry internal = view.get(ObjectKind.MAILING_LIST, address).orElse(null);
        if (internal != null) {
            MailingListSpec l = (MailingListSpec) internal.spec();
            return new ListBehaviour(true, l.replyToList(), l.addsListHeaders(), view.members(address).size());
        }
        if (down.kind() == EdgeKind.SUBSCRIPTION) {
            ExternalSubscriptionSpec s = (ExternalSubscriptionSpec) view
                    .get(ObjectKind.EXTERNAL_SUBSCRIPTION, ObjectKind.pairKey(down.to(), address)).orElseThrow().spec();
            return new ListBehaviour(context.isInternal().test(address), s.replyToList(), s.addsListHeaders(), -1);
        }
        return null;
    }

    private static Finding finding(DirectoryView view, AutoreplySpec autoreply, String list, ListBehaviour behaviour,
                                   List<Edge> down, RuleConfig config, ObservedFact handMade) {
        String mailbox = autoreply.mailbox();
        List<Edge> edges = new ArrayList<>(down);
        edges.add(new Edge(mailbox, list, EdgeKind.AUTOREPLY));
        List<String> path = new ArrayList<>(MailFlow.addresses(down));
        path.add(Finding.AUTOREPLY_STEP);
        path.add(list);
        String shown = String.join(" → ", path);

        int interval = autoreply.intervalDays();
        boolean unbounded = interval < 1;
        // Undeclared Reply-To counts as pointing at the list: the worst case, as the documentation promises.
        boolean reEnters = !Boolean.FALSE.equals(behaviour.replyToList());
        boolean replyToUnknown = behaviour.replyToList() == null;
        long fanout = behaviour.members() >= 0 ? Math.max(1, behaviour.members()) : config.param("externalListMembers");
        long autoreplies = Math.max(1, view.members(list).stream().filter(m -> view.exists(ObjectKind.AUTOREPLY, m)).count()
                + view.subscribersOf(list).stream().filter(m -> view.exists(ObjectKind.AUTOREPLY, m)).count());
        long perHour = unbounded
                ? config.param("postsPerHour") * autoreplies * fanout
                : (long) Math.ceil(autoreplies * fanout / (24.0 * interval));
        Severity severity = unbounded || reEnters ? Severity.BLOCK : config.severity();
        String kindEn = behaviour.internal() ? "the list " : "the external list ";
        String kindJa = behaviour.internal() ? "メーリングリスト " : "社外メーリングリスト ";
        String known = behaviour.replyToList() == null || behaviour.addsListHeaders() == null
                ? " Its behaviour is not declared, so the worst case is assumed." : "";
        String knownJa = behaviour.replyToList() == null || behaviour.addsListHeaders() == null
                ? "リストの挙動が申告されていないため、最悪の場合を想定しています。" : "";
        String en;
        String ja;
        if (unbounded) {
            en = "Mail loop: " + shown + ". The autoreply of " + mailbox + " answers every message; " + kindEn + list
                    + " sends each answer to its members (about " + fanout + ") and back to " + mailbox
                    + ", which answers again: about " + perHour + " messages per hour, growing until someone stops it." + known;
            ja = "メールループ: " + shown + "。" + mailbox + " の自動応答はすべてのメールに返信し、" + kindJa + list
                    + " がその返信をメンバー (約 " + fanout + " 名) と " + mailbox + " に再配信するため、再び返信します。"
                    + "1 時間あたり約 " + perHour + " 通に達し、止めるまで増え続けます。" + knownJa;
        } else {
            en = "Autoreply loop risk: " + shown + ". The autoreply of " + mailbox + " can answer posts of " + kindEn + list
                    + (replyToUnknown ? ", which may point Reply-To at itself (not declared), so every reply may be redistributed to all members."
                    : reEnters ? ", which points Reply-To at itself, so every reply is redistributed to all members." : ".")
                    + " It answers each sender at most once per " + interval + " days (about " + perHour
                    + " messages per hour through the list at most)." + known;
            ja = "自動応答ループの危険: " + shown + "。" + mailbox + " の自動応答が" + kindJa + list + " の投稿に返信する可能性があります"
                    + (replyToUnknown ? "。リストが Reply-To を自身に設定しているかは申告されていないため、返信が全メンバーに再配信されうるものとします。"
                    : reEnters ? "。リストは Reply-To を自身に設定しているため、返信が全メンバーに再配信されます。" : "。")
                    + "返信は送信者ごとに " + interval + " 日に 1 回までです (リスト経由で 1 時間あたり最大約 " + perHour + " 通)。" + knownJa;
        }
        if (handMade != null) {
            en += " The responder is not managed by mailgov: " + handMade.origin() + ".";
            ja += "この応答は mailgov の管理外です: " + handMade.origin() + "。";
            return new Finding(ID, severity, en, ja, path, edges,
                    "Remove the responder from the mailbox's own Sieve script (or replace it with a mailgov autoreply, which "
                            + "ignores list mail and answers each sender at most once a day), or remove " + mailbox + " from " + list + ".",
                    "メールボックス独自の Sieve スクリプトからこの応答を削除する (または、リストのメールを無視し送信者ごとに 1 日 1 回までしか返信しない "
                            + "mailgov の自動応答に置き換える) か、" + mailbox + " を " + list + " から外してください。",
                    perHour);
        }
        return new Finding(ID, severity, en, ja, path, edges,
                "Restrict the autoreply to internal senders (audience INTERNAL), declare that the list sends List-Id "
                        + "headers (the autoreply then ignores it), or remove " + mailbox + " from the list.",
                "自動応答の対象を社内の送信者に限定する (audience INTERNAL)、リストが List-Id ヘッダーを付けることを申告する "
                        + "(自動応答はリストのメールを無視します)、または " + mailbox + " をリストから外してください。",
                perHour);
    }
}
