package com.mailgov.sieve;

import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryState;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.OverlayView;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.policy.Finding;
import com.mailgov.policy.Policy;
import com.mailgov.policy.PolicyDocument;
import com.mailgov.policy.PolicyEvaluator;
import com.mailgov.policy.PolicyRule;
import com.mailgov.policy.Severity;
import com.mailgov.policy.facts.FactView;
import com.mailgov.policy.facts.LoopFacts;
import com.mailgov.policy.facts.ObservedFact;
import com.mailgov.policy.rules.AutoreplyLoopRule;
import com.mailgov.policy.rules.ForwardCycleRule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A mailbox's own Sieve responders, fed as facts, are seen by the loop rules like managed objects. */
class SieveLoopFactsTest {

    static final String LIST = "sales-ml@lists.corp.example";
    static final String SUZUKI = "suzuki@corp.example";
    static final List<PolicyRule> RULES = List.of(new AutoreplyLoopRule(), new ForwardCycleRule());
    static final Policy DEFAULTS = new Policy(1, PolicyDocument.empty(), List.of(), "system", Instant.EPOCH);

    final DirectoryState approved = new DirectoryState();
    final LoopFacts facts = new LoopFacts();

    void approved(DirectorySpec... specs) {
        for (DirectorySpec s : specs) {
            approved.put(new DirectoryEntry("SALES1", s));
        }
    }

    List<Finding> request(DirectorySpec... created) {
        List<ObjectChange> changes = new ArrayList<>();
        for (DirectorySpec s : created) {
            changes.add(new ObjectChange(s.kind(), s.key(), "SALES1", null, s));
        }
        return new PolicyEvaluator(RULES).evaluate(DEFAULTS, facts.over(new OverlayView(approved, changes)), changes,
                a -> a.endsWith("corp.example"), "SALES1", Map.of()).findings();
    }

    static SieveAnalysis corpus(String file) throws IOException {
        return SieveAnalysis.of(Files.readString(Path.of("src/test/resources/sieve-corpus", file)));
    }

    /** A Mailman list: List-Id on every post, Reply-To pointing at itself. */
    void listWithReplyToItself() {
        approved(new MailboxSpec(SUZUKI, "鈴木"), new MailingListSpec(LIST, "営業", null, true, true));
    }

    @Test
    void aNotifyResponderOnAListMemberIsAnUnboundedLoopEvenThoughTheListSendsListId() throws IOException {
        listWithReplyToItself();
        facts.replace("dovecot:1", SieveLoopFacts.of("dovecot:1", SUZUKI, "roundcube", corpus("06-enotify-mailto-replyto.sieve")));
        List<Finding> loop = request(new ListMemberSpec(LIST, SUZUKI));
        assertEquals(1, loop.size(), loop.toString());
        Finding f = loop.get(0);
        assertEquals(Severity.BLOCK, f.severity());
        assertEquals(List.of(LIST, SUZUKI, Finding.AUTOREPLY_STEP, LIST), f.path());
        assertTrue(f.message().contains("not managed by mailgov") && f.message().contains("roundcube"), f.message());
        assertTrue(f.remedy().contains("Sieve"), f.remedy());
    }

    @Test
    void aUserVacationIsStoppedByTheListHeadersLikeOurs() throws IOException {
        listWithReplyToItself();
        facts.replace("dovecot:1", SieveLoopFacts.of("dovecot:1", SUZUKI, "roundcube", corpus("01-roundcube-vacation.sieve")));
        assertTrue(request(new ListMemberSpec(LIST, SUZUKI)).isEmpty());
    }

    @Test
    void aManagedAutoreplyHidesTheFactForTheSameMailbox() throws IOException {
        listWithReplyToItself();
        approved(new AutoreplySpec(SUZUKI, "不在", "不在です", null, null, 1, AutoreplySpec.Audience.INTERNAL, List.of()));
        facts.replace("dovecot:1", SieveLoopFacts.of("dovecot:1", SUZUKI, "roundcube", corpus("06-enotify-mailto-replyto.sieve")));
        List<Finding> loop = request(new ListMemberSpec(LIST, SUZUKI));
        assertTrue(loop.stream().noneMatch(f -> f.message().contains("not managed")), loop.toString());
        assertTrue(FactView.observed(facts.over(approved), com.mailgov.directory.ObjectKind.AUTOREPLY, SUZUKI).isEmpty());
    }

    @Test
    void aRedirectToAFixedAddressIsAForwardThatCanCloseACycle() throws IOException {
        approved(new MailboxSpec(SUZUKI, "鈴木"), new MailboxSpec("sato@corp.example", "佐藤"));
        facts.replace("dovecot:1", SieveLoopFacts.of("dovecot:1", "sato@corp.example", "own",
                SieveAnalysis.of("redirect \"" + SUZUKI + "\";")));
        List<Finding> cycle = request(new ForwardSpec(SUZUKI, List.of("sato@corp.example"), false));
        assertEquals(1, cycle.size(), cycle.toString());
        assertEquals(ForwardCycleRule.ID, cycle.get(0).ruleId());
    }

    @Test
    void aBrokenScriptIsNoFactAndReplacingASourceDropsItsOldFacts() throws IOException {
        assertTrue(SieveLoopFacts.of("dovecot:1", SUZUKI, "x", corpus("26-broken-missing-semicolon.sieve")).isEmpty());
        listWithReplyToItself();
        facts.replace("dovecot:1", SieveLoopFacts.of("dovecot:1", SUZUKI, "roundcube", corpus("06-enotify-mailto-replyto.sieve")));
        facts.replace("dovecot:1", List.<ObservedFact>of());
        assertTrue(request(new ListMemberSpec(LIST, SUZUKI)).isEmpty());
    }

    @Test
    void vacationIntervalsBecomeDaysAndNotifyIsEveryMessage() throws IOException {
        AutoreplySpec weekly = (AutoreplySpec) SieveLoopFacts.of("d", SUZUKI, "s", corpus("01-roundcube-vacation.sieve")).get(0).spec();
        assertEquals(7, weekly.intervalDays());
        assertEquals(List.of("takahashi@corp.example", "t.takahashi@corp.example"), weekly.addresses());
        AutoreplySpec seconds = (AutoreplySpec) SieveLoopFacts.of("d", SUZUKI, "s", corpus("05-vacation-seconds.sieve")).get(0).spec();
        assertEquals(0, seconds.intervalDays());
        List<ObservedFact> fixed = SieveLoopFacts.of("d", SUZUKI, "s", corpus("23-enotify-fixed-target.sieve"));
        assertEquals(List.of(SUZUKI, "oncall@corp.example"), ((ForwardSpec) fixed.get(0).spec()).targets());
    }
}
