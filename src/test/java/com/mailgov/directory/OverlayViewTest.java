package com.mailgov.directory;

import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reverse lookups of the directory as a request would leave it: base, changed, deleted and added objects. */
class OverlayViewTest {

    final DirectoryState approved = new DirectoryState();

    OverlayViewTest() {
        for (DirectorySpec s : List.of(
                new ForwardSpec("a@corp.example", List.of("b@corp.example"), false),
                new ForwardSpec("k@corp.example", List.of("b@corp.example"), false),
                new ListMemberSpec("list1@corp.example", "x@corp.example"),
                new ListMemberSpec("list1@corp.example", "z@corp.example"),
                new ExternalSubscriptionSpec("x@corp.example", "ml@lists.example.org", true, true))) {
            approved.put(new DirectoryEntry("SALES1", s));
        }
    }

    static ObjectChange change(DirectorySpec before, DirectorySpec after) {
        DirectorySpec s = after != null ? after : before;
        return new ObjectChange(s.kind(), s.key(), "SALES1", before, after);
    }

    @Test
    void lookupsSeeWhatTheRequestAddsChangesAndDeletes() {
        List<ObjectChange> changes = new ArrayList<>(List.of(
                change(new ForwardSpec("a@corp.example", List.of("b@corp.example"), false),
                        new ForwardSpec("a@corp.example", List.of("c@corp.example"), false)),
                change(null, new ForwardSpec("d@corp.example", List.of("b@corp.example", "c@corp.example"), true)),
                change(new ListMemberSpec("list1@corp.example", "x@corp.example"), null),
                change(null, new ListMemberSpec("list1@corp.example", "y@corp.example")),
                change(null, new ExternalSubscriptionSpec("y@corp.example", "ml@lists.example.org", true, true))));
        OverlayView view = new OverlayView(approved, changes);

        assertEquals(Set.of("k@corp.example", "d@corp.example"), view.forwardSourcesTo("b@corp.example"));
        assertEquals(Set.of("a@corp.example", "d@corp.example"), view.forwardSourcesTo("c@corp.example"));
        assertEquals(Set.of("y@corp.example", "z@corp.example"), view.members("list1@corp.example"));
        assertEquals(Set.of(), view.listsContaining("x@corp.example"));
        assertEquals(Set.of("list1@corp.example"), view.listsContaining("y@corp.example"));
        assertEquals(Set.of("x@corp.example", "y@corp.example"), view.subscribersOf("ml@lists.example.org"));
        assertEquals(Set.of("ml@lists.example.org"), view.subscriptionsOf("y@corp.example"));
        // the approved state is unchanged
        assertEquals(Set.of("a@corp.example", "k@corp.example"), approved.forwardSourcesTo("b@corp.example"));
    }

    @Test
    void aChangeLaidOverLaterIsSeenByTheNextLookup() {
        OverlayView view = new OverlayView(approved, List.of(change(null, new ForwardSpec("d@corp.example", List.of("b@corp.example"), false))));
        assertEquals(Set.of("a@corp.example", "k@corp.example", "d@corp.example"), view.forwardSourcesTo("b@corp.example"));

        view.apply(change(new ForwardSpec("k@corp.example", List.of("b@corp.example"), false), null));
        view.apply(change(null, new ForwardSpec("e@corp.example", List.of("b@corp.example"), false)));
        assertEquals(Set.of("a@corp.example", "d@corp.example", "e@corp.example"), view.forwardSourcesTo("b@corp.example"));

        // a change that neither had nor has a state restores the base
        view.apply(new ObjectChange(ObjectKind.FORWARD, "d@corp.example", "SALES1", null, null));
        assertEquals(Set.of("a@corp.example", "e@corp.example"), view.forwardSourcesTo("b@corp.example"));
    }
}
