package com.mailgov.adoption;

import com.mailgov.adoption.ServerInventory.Found;
import com.mailgov.directory.spec.ForwardSpec;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.push.connector.ArtifactKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an import's objects are cut into requests: no membership may land in another request than its new list. */
class ImportBatchesTest {

    @Test
    void aListsMembershipsAreProposedInTheSameRequestAsTheList() {
        List<Found> objects = new ArrayList<>();
        for (int l = 0; l < 40; l++) {
            String list = "list" + l + "@lists.corp.example";
            objects.add(list(list));
            for (int m = 0; m < 3; m++) {
                objects.add(member(list, "user" + (l * 3 + m) + "@corp.example"));
            }
        }
        List<List<Found>> batches = ImportBatches.pack(objects, 10);

        assertEquals(160, batches.stream().mapToInt(List::size).sum(), "nothing lost");
        for (List<Found> batch : batches) {
            assertTrue(batch.size() <= 10, "at most max-items per request");
            for (Found f : batch) {
                if (f.spec() instanceof ListMemberSpec m) {
                    assertTrue(batch.stream().anyMatch(o -> o.spec() instanceof MailingListSpec l && l.address().equals(m.list())),
                            m + " travels with its list");
                }
            }
        }
        assertEquals(20, batches.size(), "two lists with their members fill a request of 10");
    }

    @Test
    void aListWithMoreMembersThanOneRequestHoldsCarriesThemAsItsFullMembership() {
        String big = "all@lists.corp.example";
        List<Found> objects = new ArrayList<>(List.of(list(big), mailbox("a@corp.example"), forward("b@corp.example")));
        for (int m = 0; m < 25; m++) {
            objects.add(member(big, "user" + m + "@corp.example"));
        }
        List<List<Found>> batches = ImportBatches.pack(objects, 10);

        assertEquals(1, batches.size());
        List<Found> batch = batches.get(0);
        assertEquals(List.of("a@corp.example", big, "b@corp.example"), batch.stream().map(f -> f.spec().key()).toList(),
                "mailboxes, then lists, then forwards");
        MailingListSpec folded = (MailingListSpec) batch.get(1).spec();
        assertEquals(25, folded.members().size());
        assertEquals(26, batch.get(1).artifacts().size(), "the list's item stands for the list and every membership artifact");
    }

    @Test
    void aMembershipOfAListThatAlreadyExistsIsProposedOnItsOwn() {
        List<Found> objects = List.of(member("old@lists.corp.example", "x@corp.example"), mailbox("x@corp.example"));
        List<List<Found>> batches = ImportBatches.pack(objects, 500);
        assertEquals(List.of("x@corp.example", "old@lists.corp.example x@corp.example"),
                batches.get(0).stream().map(f -> f.spec().key()).toList());
    }

    private static Found list(String address) {
        return new Found(new MailingListSpec(address, address, null, false, true), List.of(ArtifactKey.list(address)));
    }

    private static Found member(String list, String member) {
        return new Found(new ListMemberSpec(list, member), List.of(ArtifactKey.listMember(list, member)));
    }

    private static Found mailbox(String address) {
        return new Found(new MailboxSpec(address, null), List.of());
    }

    private static Found forward(String source) {
        return new Found(new ForwardSpec(source, List.of("c@corp.example"), false), List.of(ArtifactKey.alias(source)));
    }
}
