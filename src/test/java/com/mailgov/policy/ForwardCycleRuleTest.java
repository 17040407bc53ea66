package com.mailgov.policy;

import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryState;
import com.mailgov.directory.ObjectChange;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.OverlayView;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.ForwardSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardCycleRuleTest {

    private final ForwardCycleRule rule = new ForwardCycleRule();

    private static ForwardSpec forward(String source, String... targets) {
        return new ForwardSpec(source, List.of(targets), false);
    }

    private static ObjectChange created(ForwardSpec f) {
        return new ObjectChange(ObjectKind.FORWARD, f.source(), "D", null, f);
    }

    private List<Finding> evaluate(DirectoryState approved, ObjectChange... changes) {
        OverlayView proposed = new OverlayView(approved, List.of(changes));
        return rule.evaluate(new PolicyContext(proposed, List.of(changes), a -> a.endsWith("@corp.example")), Severity.BLOCK);
    }

    @Test
    void findsALongCycleThatCloses() {
        DirectoryState approved = new DirectoryState();
        approved.put(new DirectoryEntry("D", forward("a@corp.example", "b@corp.example")));
        approved.put(new DirectoryEntry("D", forward("b@corp.example", "c@corp.example", "x@partner.example")));
        List<Finding> findings = evaluate(approved, created(forward("c@corp.example", "a@corp.example")));
        assertEquals(1, findings.size());
        assertEquals(List.of("c@corp.example", "a@corp.example", "b@corp.example", "c@corp.example"), findings.get(0).path());
        assertEquals(Severity.BLOCK, findings.get(0).severity());
    }

    @Test
    void aForwardToItselfIsLocalDeliveryNotALoop() {
        assertTrue(evaluate(new DirectoryState(), created(forward("a@corp.example", "a@corp.example", "b@corp.example"))).isEmpty());
    }

    @Test
    void aChainWithoutReturnIsFine() {
        DirectoryState approved = new DirectoryState();
        approved.put(new DirectoryEntry("D", forward("b@corp.example", "c@corp.example")));
        assertTrue(evaluate(approved, created(forward("a@corp.example", "b@corp.example"))).isEmpty());
    }

    @Test
    void deletingAForwardInTheSameRequestBreaksTheCycle() {
        DirectoryState approved = new DirectoryState();
        ForwardSpec back = forward("b@corp.example", "a@corp.example");
        approved.put(new DirectoryEntry("D", back));
        List<Finding> findings = evaluate(approved, created(forward("a@corp.example", "b@corp.example")),
                new ObjectChange(ObjectKind.FORWARD, back.source(), "D", back, null));
        assertTrue(findings.isEmpty());
    }

    @Test
    void autoreplyIntervalBelowOneDayIsBlocked() {
        AutoreplySpec every = new AutoreplySpec("t@corp.example", "不在", "本文", null, null, 0, AutoreplySpec.Audience.ALL, List.of());
        AutoreplySpec weekly = new AutoreplySpec("u@corp.example", "不在", "本文", null, null, 7, AutoreplySpec.Audience.ALL, List.of());
        List<ObjectChange> changes = List.of(new ObjectChange(ObjectKind.AUTOREPLY, every.key(), "D", null, every),
                new ObjectChange(ObjectKind.AUTOREPLY, weekly.key(), "D", null, weekly));
        List<Finding> findings = new AutoreplyIntervalRule().evaluate(
                new PolicyContext(new OverlayView(new DirectoryState(), changes), changes, a -> true), Severity.BLOCK);
        assertEquals(1, findings.size());
        assertEquals(List.of("t@corp.example"), findings.get(0).path());
    }
}
