package com.mailgov.adoption;

import com.mailgov.adoption.ServerInventory.Found;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.push.connector.ArtifactKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs one department's new objects into change requests of at most {@code maxItems} items.
 * A list travels in the same request as its memberships: a membership whose list is only proposed
 * in another, undecided request would be refused (its list is not in the directory yet). A list
 * with more memberships than one request may hold carries them in its own item, as the list's full
 * membership.
 */
final class ImportBatches {

    private static final List<ObjectKind> ORDER = List.of(ObjectKind.MAILBOX, ObjectKind.MAILING_LIST, ObjectKind.FORWARD,
            ObjectKind.LIST_MEMBER);

    private ImportBatches() {
    }

    static List<List<Found>> pack(List<Found> objects, int maxItems) {
        // units: a new list with its memberships; everything else (incl. a membership of a list that
        // already exists) alone
        Map<String, List<Found>> listUnits = new LinkedHashMap<>();
        for (Found f : objects) {
            if (f.spec() instanceof MailingListSpec l) {
                listUnits.put(l.address(), new ArrayList<>(List.of(f)));
            }
        }
        List<List<Found>> units = new ArrayList<>();
        for (Found f : objects) {
            if (f.spec() instanceof ListMemberSpec m && listUnits.containsKey(m.list())) {
                listUnits.get(m.list()).add(f);
            } else if (!(f.spec() instanceof MailingListSpec)) {
                units.add(List.of(f));
            }
        }
        for (List<Found> unit : listUnits.values()) {
            unit.subList(1, unit.size()).sort(Comparator.comparing(f -> f.spec().key()));
            units.add(unit.size() > maxItems ? List.of(folded(unit)) : unit);
        }
        units.sort(Comparator.comparing((List<Found> u) -> ORDER.indexOf(u.get(0).spec().kind()))
                .thenComparing(u -> u.get(0).spec().key()));

        List<List<Found>> batches = new ArrayList<>();
        List<Found> current = new ArrayList<>();
        for (List<Found> unit : units) {
            if (!current.isEmpty() && current.size() + unit.size() > maxItems) {
                batches.add(current);
                current = new ArrayList<>();
            }
            current.addAll(unit);
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** One item: the list with its full membership, standing for all their server artifacts. */
    private static Found folded(List<Found> unit) {
        MailingListSpec list = (MailingListSpec) unit.get(0).spec();
        List<String> members = new ArrayList<>();
        List<ArtifactKey> artifacts = new ArrayList<>(unit.get(0).artifacts());
        for (Found m : unit.subList(1, unit.size())) {
            members.add(((ListMemberSpec) m.spec()).member());
            artifacts.addAll(m.artifacts());
        }
        return new Found(new MailingListSpec(list.address(), list.name(), members, list.replyToList(), list.addsListHeaders()),
                artifacts);
    }
}
