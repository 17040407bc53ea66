package com.mailgov.policy;

import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryState;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.OverlayView;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.AutoreplySpec.Audience;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.policy.rules.AmplificationRule;
import com.mailgov.policy.rules.AutoreplyAddressesRule;
import com.mailgov.policy.rules.AutoreplyIntervalRule;
import com.mailgov.policy.rules.AutoreplyLoopRule;
import com.mailgov.policy.rules.ExternalForwardRule;
import com.mailgov.policy.rules.ExternalSubscriptionRule;
import com.mailgov.policy.rules.ForwardCycleRule;
import com.mailgov.policy.rules.ListCycleRule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule against small directories, evaluated the way the service does (PolicyEvaluator, default policy). */
class LoopRulesTest {

    static final List<PolicyRule> RULES = List.of(new ForwardCycleRule(), new ListCycleRule(), new AutoreplyLoopRule(),
            new AutoreplyIntervalRule(), new AutoreplyAddressesRule(), new ExternalSubscriptionRule(),
            new ExternalForwardRule(), new AmplificationRule());
    static final Policy DEFAULTS = new Policy(1, PolicyDocument.empty(), List.of(), "system", Instant.EPOCH);

    final DirectoryState approved = new DirectoryState();

    void approved(DirectorySpec... specs) {
        for (DirectorySpec s : specs) {
            approved.put(new DirectoryEntry("SALES1", s));
        }
    }

    List<Finding> request(DirectorySpec... created) {
        return request(DEFAULTS, created);
    }

    List<Finding> request(Policy policy, DirectorySpec... created) {
        List<ObjectChange> changes = new ArrayList<>();
        for (DirectorySpec s : created) {
            changes.add(new ObjectChange(s.kind(), s.key(), "SALES1", approved.get(s.kind(), s.key()).map(DirectoryEntry::spec).orElse(null), s));
        }
        return new PolicyEvaluator(RULES).evaluate(policy, new OverlayView(approved, changes), changes,
                a -> a.endsWith("@corp.example"), "SALES1", Map.of()).findings();
    }

    static AutoreplySpec autoreply(String mailbox, int days, Audience audience, String... addresses) {
        return new AutoreplySpec(mailbox, "不在のお知らせ", "不在です。", null, null, days, audience, List.of(addresses));
    }

    static List<Finding> of(List<Finding> findings, String ruleId) {
        return findings.stream().filter(f -> f.ruleId().equals(ruleId)).toList();
    }

    static final String TAKAHASHI = "takahashi@corp.example";
    static final String TEST_ML = "test-ml@partner.example";

    // --- the incident --------------------------------------------------------------------

    @Test
    void theStoryAnAutoreplyThatAnswersEveryPostOfAnUnknownExternalListIsBlocked() {
        approved(new MailboxSpec(TAKAHASHI, "高橋"), new ExternalSubscriptionSpec(TAKAHASHI, TEST_ML, null, null));
        List<Finding> loop = of(request(autoreply(TAKAHASHI, 0, Audience.ALL)), AutoreplyLoopRule.ID);
        assertEquals(1, loop.size());
        assertEquals(Severity.BLOCK, loop.get(0).severity());
        assertEquals(List.of(TEST_ML, TAKAHASHI, "(autoreply)", TEST_ML), loop.get(0).path());
        assertTrue(loop.get(0).amplificationPerHour() >= 1000, "10 posts/h × 100 members");
        assertTrue(loop.get(0).messageJa().contains("メールループ"));
    }

    @Test
    void theSameSubscriptionRequestedAfterTheAutoreplyIsCaughtToo() {
        approved(new MailboxSpec(TAKAHASHI, "高橋"), autoreply(TAKAHASHI, 0, Audience.ALL));
        List<Finding> findings = request(new ExternalSubscriptionSpec(TAKAHASHI, TEST_ML, null, null));
        assertEquals(Severity.BLOCK, of(findings, AutoreplyLoopRule.ID).get(0).severity());
        assertEquals(1, of(findings, ExternalSubscriptionRule.ID).size());
    }

    @Test
    void aWeeklyAutoreplyOnAListThatDoesNotDeclareItsReplyToIsBlockedAsTheWorstCase() {
        approved(new MailboxSpec(TAKAHASHI, "高橋"), new ExternalSubscriptionSpec(TAKAHASHI, TEST_ML, null, null));
        Finding f = of(request(autoreply(TAKAHASHI, 7, Audience.ALL)), AutoreplyLoopRule.ID).get(0);
        assertEquals(Severity.BLOCK, f.severity());
        assertTrue(f.message().contains("may point Reply-To at itself (not declared)"), f.message());
    }

    @Test
    void aWeeklyAutoreplyToEveryoneIsAWarningWithItsVolume() {
        approved(new MailboxSpec(TAKAHASHI, "高橋"), new ExternalSubscriptionSpec(TAKAHASHI, TEST_ML, false, null));
        Finding f = of(request(autoreply(TAKAHASHI, 7, Audience.ALL)), AutoreplyLoopRule.ID).get(0);
        assertEquals(Severity.WARN, f.severity());
        assertTrue(f.message().contains("at most once per 7 days"), f.message());
        assertEquals(1L, f.amplificationPerHour()); // 100 members / (7 × 24 h), rounded up
    }

    @Test
    void anAutoreplyForInternalSendersOnlyCannotAnswerAnExternalList() {
        approved(new MailboxSpec(TAKAHASHI, "高橋"), new ExternalSubscriptionSpec(TAKAHASHI, TEST_ML, null, null));
        assertTrue(of(request(autoreply(TAKAHASHI, 7, Audience.INTERNAL)), AutoreplyLoopRule.ID).isEmpty());
    }

    @Test
    void aListThatDeclaresListHeadersIsIgnoredByTheAutoreply() {
        approved(new MailboxSpec(TAKAHASHI, "高橋"), new ExternalSubscriptionSpec(TAKAHASHI, TEST_ML, false, true));
        assertTrue(of(request(autoreply(TAKAHASHI, 7, Audience.ALL)), AutoreplyLoopRule.ID).isEmpty());
    }

    @Test
    void anInternalListThatPointsReplyToAtItselfBlocksEvenAWeeklyAutoreply() {
        String team = "team@corp.example";
        approved(new MailboxSpec(TAKAHASHI, "高橋"), new MailingListSpec(team, "営業", null, true, false),
                new ListMemberSpec(team, TAKAHASHI), new ListMemberSpec(team, "sato@corp.example"));
        Finding f = of(request(autoreply(TAKAHASHI, 7, Audience.INTERNAL)), AutoreplyLoopRule.ID).get(0);
        assertEquals(Severity.BLOCK, f.severity());
        assertEquals(List.of(team, TAKAHASHI, "(autoreply)", team), f.path());
    }

    @Test
    void aLoopThroughNestedListsAndAForwardIsFoundWithItsWholePath() {
        String outer = "all@corp.example";
        String inner = "sales@corp.example";
        String alias = "t.alias@corp.example";
        approved(new MailboxSpec(TAKAHASHI, "高橋"), new MailingListSpec(outer, "全社", null, false, false),
                new MailingListSpec(inner, "営業", null, false, false), new ListMemberSpec(outer, inner),
                new ListMemberSpec(inner, alias), new ForwardSpec(alias, List.of(TAKAHASHI), false));
        List<Finding> loop = of(request(autoreply(TAKAHASHI, 0, Audience.INTERNAL)), AutoreplyLoopRule.ID);
        assertTrue(loop.stream().anyMatch(f -> f.path().equals(List.of(outer, inner, alias, TAKAHASHI, "(autoreply)", outer))),
                loop.toString());
    }

    // --- cycles ----------------------------------------------------------------------------

    @Test
    void forwardCyclesOfAnyLengthButNotTheLocalCopy() {
        approved(new ForwardSpec("a@corp.example", List.of("b@corp.example"), false),
                new ForwardSpec("b@corp.example", List.of("c@corp.example", "x@partner.example"), false));
        Finding f = of(request(new ForwardSpec("c@corp.example", List.of("a@corp.example", "c@corp.example"), false)),
                ForwardCycleRule.ID).get(0);
        assertEquals(List.of("c@corp.example", "a@corp.example", "b@corp.example", "c@corp.example"), f.path());
        assertTrue(of(request(new ForwardSpec("k@corp.example", List.of("k@corp.example"), true)), ForwardCycleRule.ID).isEmpty());
    }

    @Test
    void aListThatIsAMemberOfItselfOrOfItsOwnMember() {
        String l1 = "l1@corp.example";
        String l2 = "l2@corp.example";
        approved(new MailingListSpec(l1, "1", null, false, true), new MailingListSpec(l2, "2", null, false, true),
                new ListMemberSpec(l1, l2));
        assertEquals(List.of(l1, l1), of(request(new ListMemberSpec(l1, l1)), ListCycleRule.ID).get(0).path());
        assertEquals(List.of(l2, l1, l2), of(request(new ListMemberSpec(l2, l1)), ListCycleRule.ID).get(0).path());
    }

    // --- the rest --------------------------------------------------------------------------

    @Test
    void autoreplyIntervalBelowOneDayIsBlocked() {
        approved(new MailboxSpec(TAKAHASHI, "高橋"));
        assertEquals(Severity.BLOCK, of(request(autoreply(TAKAHASHI, 0, Audience.INTERNAL)), AutoreplyIntervalRule.ID).get(0).severity());
        assertTrue(of(request(autoreply(TAKAHASHI, 1, Audience.INTERNAL)), AutoreplyIntervalRule.ID).isEmpty());
    }

    @Test
    void autoreplyAddressesMustCoverTheAliasesOfAliasesTheScriptDoesNotList() {
        // a direct alias is put into :addresses by the pushed script itself: no warning
        approved(new MailboxSpec(TAKAHASHI, "高橋"), new ForwardSpec("sales-info@corp.example", List.of(TAKAHASHI), false));
        assertTrue(of(request(autoreply(TAKAHASHI, 7, Audience.INTERNAL)), AutoreplyAddressesRule.ID).isEmpty());
        // an alias of that alias is not
        approved(new ForwardSpec("info@corp.example", List.of("sales-info@corp.example"), false));
        Finding f = of(request(autoreply(TAKAHASHI, 7, Audience.INTERNAL)), AutoreplyAddressesRule.ID).get(0);
        assertEquals(Severity.WARN, f.severity());
        assertTrue(f.message().contains("info@corp.example"));
        assertTrue(!f.message().contains("sales-info@corp.example"));
        assertTrue(of(request(autoreply(TAKAHASHI, 7, Audience.INTERNAL, "info@corp.example")),
                AutoreplyAddressesRule.ID).isEmpty());
    }

    @Test
    void forwardsOutOfTheCompanyNeedConfirmation() {
        Finding f = of(request(new ForwardSpec("a@corp.example", List.of("b@corp.example", "me@gmail.example"), false)),
                ExternalForwardRule.ID).get(0);
        assertEquals(Severity.WARN, f.severity());
        assertEquals(List.of("a@corp.example", "me@gmail.example"), f.path());
    }

    @Test
    void policyDataChangesSeverityParametersAndSwitchesRulesOff() {
        approved(new MailboxSpec(TAKAHASHI, "高橋"), new ExternalSubscriptionSpec(TAKAHASHI, TEST_ML, false, null));
        PolicyDocument doc = new PolicyDocument(
                Map.of(AutoreplyLoopRule.ID, new PolicyDocument.RuleSettings(null, null, Map.of("externalListMembers", 100_000))),
                Map.of("SALES1", Map.of(ExternalSubscriptionRule.ID, new PolicyDocument.RuleSettings(false, null, null))),
                List.of());
        Policy strict = new Policy(2, doc, List.of(), "admin", Instant.EPOCH);
        List<Finding> findings = request(strict, autoreply(TAKAHASHI, 7, Audience.ALL));
        Finding loop = of(findings, AutoreplyLoopRule.ID).get(0);
        // 100,000 members / (7 × 24 h) ≈ 596 per hour: under the 1,000 threshold, so still WARN.
        assertEquals(Severity.WARN, loop.severity());
        assertFalse(findings.stream().anyMatch(f -> f.ruleId().equals(ExternalSubscriptionRule.ID)));

        Policy lowThreshold = new Policy(3, new PolicyDocument(
                Map.of(AmplificationRule.ID, new PolicyDocument.RuleSettings(null, null, Map.of("thresholdPerHour", 100)),
                        AutoreplyLoopRule.ID, new PolicyDocument.RuleSettings(null, null, Map.of("externalListMembers", 100_000))),
                Map.of(), List.of()), List.of(), "admin", Instant.EPOCH);
        Finding escalated = of(request(lowThreshold, autoreply(TAKAHASHI, 7, Audience.ALL)), AutoreplyLoopRule.ID).get(0);
        assertEquals(Severity.BLOCK, escalated.severity());
        assertTrue(escalated.message().contains("Raised to BLOCK"));
    }

    @Test
    void customCelRulesFireOnTheRequestAndReportCompileErrorsWithPosition() {
        PolicyDocument.CustomRuleSpec noGmail = new PolicyDocument.CustomRuleSpec("custom-no-gmail",
                "changes.exists(c, c.kind == 'FORWARD' && has(c.after.targets) && c.after.targets.exists(t, t.endsWith('@gmail.example')))",
                Severity.BLOCK, "No forwarding to Gmail", "Gmail への転送は禁止です");
        CustomRules.Outcome compiled = CustomRules.compile(noGmail);
        assertTrue(compiled instanceof CustomRules.Compiled, compiled.toString());
        Policy policy = new Policy(4, new PolicyDocument(Map.of(), Map.of(), List.of(noGmail)),
                List.of((CustomRules.Compiled) compiled), "admin", Instant.EPOCH);
        List<Finding> findings = request(policy, new ForwardSpec("a@corp.example", List.of("me@gmail.example"), false));
        assertEquals(Severity.BLOCK, of(findings, "custom-no-gmail").get(0).severity());

        CustomRules.Outcome broken = CustomRules.compile(new PolicyDocument.CustomRuleSpec("custom-x", "changes.size() >", Severity.WARN, "m", null));
        assertTrue(broken instanceof CustomRules.CompileError e && e.line() == 1 && e.column() > 1, broken.toString());
        assertTrue(CustomRules.compile(new PolicyDocument.CustomRuleSpec("custom-y", "env.SECRET == 'x'", Severity.WARN, "m", null))
                instanceof CustomRules.CompileError, "undeclared variables cannot be read");

        CustomRules.Outcome nested = CustomRules.compile(new PolicyDocument.CustomRuleSpec("custom-slow",
                "changes.all(c, c.after.targets.all(t, changes.all(d, d.after.targets.all(u, u != t + 'x'))))", Severity.WARN, "m", null));
        long start = System.nanoTime();
        String verdict = CustomRules.trialRun((CustomRules.Compiled) nested);
        assertTrue(verdict != null && verdict.startsWith("runs too long"), String.valueOf(verdict));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000, "the trial itself is bounded");
    }
}
