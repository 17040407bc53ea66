package com.mailgov.guard.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loops, not volume: how senders are normalised and which hot cycles count as a loop. */
class LoopDetectionTest {

    @Test
    void returnPathsOfListsForwardersAndTaggersBecomeOneNode() {
        assertEquals("test-ml@partner.example", Addresses.normalise("test-ml-bounces+takahashi=corp.example@partner.example"));
        assertEquals("test-ml@partner.example", Addresses.normalise("<Test-ML-bounces@Partner.Example>"));
        assertEquals("team@lists.corp.example", Addresses.normalise("team-request@lists.corp.example"));
        assertEquals("alice@origin.example", Addresses.normalise("SRS0=HHH=TT=origin.example=alice@forwarder.example"));
        assertEquals("alice@origin.example", Addresses.normalise("SRS1=XXX=forwarder.example==HHH=TT=origin.example=alice@fwd2.example"));
        assertEquals("bob@corp.example", Addresses.normalise("prvs=0123456789=bob@corp.example"));
        assertEquals("suzuki@corp.example", Addresses.normalise("suzuki+tag@corp.example"));
        assertEquals("", Addresses.normalise("<>"));
        assertNull(Addresses.normalise("evil\r\n@x.example"));
        assertNull(Addresses.normalise("a\u0000b@x.example"));
        assertNull(Addresses.normalise("no-domain"));
        assertNull(Addresses.normalise("x".repeat(400) + "@x.example"));
        assertEquals("高橋@corp.example", Addresses.normalise("高橋@corp.example"));
    }

    @Test
    void anAutomaticReplyCountsForTheMailboxItAnswersFor() {
        Observation notify = new Observation(Observation.Hook.MILTER, "Q1", "postmaster@corp.example", List.of("test-ml@partner.example"),
                "Postmaster <postmaster@corp.example>", "auto-notified; owner-email=\"takahashi@corp.example\"", "bulk",
                null, null, null, null, "<x@vm>");
        assertEquals("takahashi@corp.example", LoopGuard.source(notify));
        assertTrue(LoopGuard.automatic(notify));
        Observation vacation = new Observation(Observation.Hook.MILTER, "Q2", "", List.of("a@partner.example"),
                "Takahashi <takahashi@corp.example>", "auto-replied", null, null, null, null, null, null);
        assertEquals("takahashi@corp.example", LoopGuard.source(vacation));
        Observation person = Observation.envelope(Observation.Hook.POLICY, null, "suzuki@corp.example", List.of("tanaka@corp.example"));
        assertEquals("suzuki@corp.example", LoopGuard.source(person));
        assertTrue(!LoopGuard.automatic(person));
        assertEquals("<>", LoopGuard.source(Observation.envelope(Observation.Hook.POLICY, null, "", List.of("x@y.example"))));
    }

    @Test
    void theStoryCycleIsALoop() {
        List<CycleFinder.Cycle> cycles = CycleFinder.find(List.of(
                hot("test-ml@partner.example", "takahashi@corp.example", 20, 0),
                hot("test-ml@partner.example", "sato@corp.example", 20, 0),
                hot("takahashi@corp.example", "test-ml@partner.example", 20, 20)), 50, 8);
        assertEquals(1, cycles.size());
        assertEquals("takahashi@corp.example test-ml@partner.example", cycles.get(0).key());
        assertEquals(2, cycles.get(0).edges().size());
    }

    @Test
    void aLongerCycleThroughAForwardIsALoop() {
        List<CycleFinder.Cycle> cycles = CycleFinder.find(List.of(
                hot("list@partner.example", "sales@corp.example", 10, 0),
                hot("sales@corp.example", "takahashi@corp.example", 10, 0),
                hot("takahashi@corp.example", "list@partner.example", 10, 10)), 50, 8);
        assertEquals(1, cycles.size());
        assertEquals(3, cycles.get(0).nodes().size());
    }

    @Test
    void aBusyListANewsletterAndTwoCorrespondentsAreNoLoop() {
        List<CycleFinder.HotEdge> edges = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            edges.add(hot("busy@partner2.example", "member" + i + "@corp.example", 16, 0));
        }
        edges.add(hot("member1@corp.example", "busy@partner2.example", 16, 0)); // a person posting a lot
        edges.add(hot("news@shop.example", "suzuki@corp.example", 30, 0)); // newsletter, no way back
        edges.add(hot("suzuki@corp.example", "tanaka@corp.example", 6, 0));
        edges.add(hot("tanaka@corp.example", "suzuki@corp.example", 6, 0));
        assertEquals(List.of(), CycleFinder.find(edges, 50, 8));
        // an automatic reply that goes nowhere back (a one-off vacation notice) is no loop either
        edges.add(hot("sato@corp.example", "news@shop.example", 5, 5));
        assertEquals(List.of(), CycleFinder.find(edges, 50, 8));
    }

    @Test
    void distinctEdgesBeyondTheCapAreOnlyCountedAsOverflow() {
        EdgeCounts counts = new EdgeCounts(1000);
        for (int i = 0; i < 100_000; i++) {
            counts.add(new Edge("s" + i + "@x.example", "takahashi@corp.example"), false, null);
        }
        assertEquals(1000, counts.tracked());
        assertEquals(99_000, counts.overflow());
        // a tracked edge keeps counting
        counts.add(new Edge("s1@x.example", "takahashi@corp.example"), true, "Auto-Submitted: auto-replied");
        assertEquals(2, counts.drain().get(new Edge("s1@x.example", "takahashi@corp.example")).messages());
        assertEquals(0, counts.tracked());
    }

    private static CycleFinder.HotEdge hot(String from, String to, long messages, long automated) {
        return new CycleFinder.HotEdge(new Edge(from, to), messages, automated, null);
    }
}
