package com.mailgov.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.directory.spec.SpecCodec;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * "Bring back revision n": the difference between the current directory and revision n becomes
 * ordinary change requests (one per department, since a request belongs to one), checked by the
 * policies and approved by another person like any other. Nothing is changed directly.
 */
@ApplicationScoped
@Transactional
public class RevisionRestoreService {

    /** Removals first, members before their lists; then additions, lists before their members. */
    private static final List<ObjectKind> CREATE_ORDER = List.of(ObjectKind.MAILBOX, ObjectKind.MAILING_LIST,
            ObjectKind.FORWARD, ObjectKind.LIST_MEMBER, ObjectKind.EXTERNAL_SUBSCRIPTION, ObjectKind.AUTOREPLY);

    @Inject
    EntityManager em;

    @Inject
    DirectoryService directory;

    @Inject
    SpecCodec codec;

    @Inject
    ObjectMapper json;

    @Inject
    ChangeRequestService changes;

    public record RestoreRequest(String reason) {
    }

    public record RestoreResult(long revision, long currentRevision, List<String> changeRequests, int items) {
    }

    private record Stored(ObjectKind kind, String key, String department, String spec) {
    }

    public RestoreResult restore(Actor actor, long revision, RestoreRequest body) {
        FieldErrors errors = new FieldErrors();
        String reason = Texts.multiLine(body == null ? null : body.reason(), "reason", 2000, true, errors);
        errors.throwIfAny();
        long head = directory.currentRevision();
        if (revision < 0 || revision > head) {
            throw ApiException.notFound("Revision " + revision);
        }
        Map<String, Stored> then = objectsAt(revision);
        Map<String, Stored> now = objectsAt(head);
        Map<String, List<ItemRequest>> byDepartment = new TreeMap<>();
        List<Stored> removed = new ArrayList<>();
        List<Stored> added = new ArrayList<>();
        for (Stored current : now.values()) {
            if (!then.containsKey(current.kind() + " " + current.key())) {
                removed.add(current);
            }
        }
        for (Stored old : then.values()) {
            Stored current = now.get(old.kind() + " " + old.key());
            if (current == null || !sameSpec(old, current) || !old.department().equals(current.department())) {
                added.add(old);
            }
        }
        removed.sort(Comparator.comparing((Stored s) -> -CREATE_ORDER.indexOf(s.kind())).thenComparing(Stored::key));
        added.sort(Comparator.comparing((Stored s) -> CREATE_ORDER.indexOf(s.kind())).thenComparing(Stored::key));
        for (Stored s : removed) {
            byDepartment.computeIfAbsent(s.department(), d -> new ArrayList<>())
                    .add(new ItemRequest(ChangeAction.DELETE, s.kind(), spec(s)));
        }
        for (Stored s : added) {
            ChangeAction action = now.containsKey(s.kind() + " " + s.key()) ? ChangeAction.UPDATE : ChangeAction.CREATE;
            byDepartment.computeIfAbsent(s.department(), d -> new ArrayList<>()).add(new ItemRequest(action, s.kind(), spec(s)));
        }
        if (byDepartment.isEmpty()) {
            throw ApiException.invalid("revision", "the directory already equals revision " + revision);
        }
        List<String> ids = new ArrayList<>();
        int items = 0;
        for (Map.Entry<String, List<ItemRequest>> e : byDepartment.entrySet()) {
            SubmitChangeRequest request = new SubmitChangeRequest(e.getKey(), "Restore revision " + revision,
                    reason, null, e.getValue());
            ids.add(changes.submit(actor, request, null).id().toString());
            items += e.getValue().size();
        }
        return new RevisionRestoreService.RestoreResult(revision, head, ids, items);
    }

    private boolean sameSpec(Stored a, Stored b) {
        return Objects.equals(codec.read(a.kind(), a.spec()), codec.read(b.kind(), b.spec()));
    }

    private JsonNode spec(Stored s) {
        DirectorySpec spec = codec.read(s.kind(), s.spec());
        if (spec instanceof MailingListSpec l) {
            spec = l.withoutMembers(); // memberships are restored as their own LIST_MEMBER items
        }
        return json.valueToTree(spec);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Stored> objectsAt(long revision) {
        Map<String, Stored> out = new HashMap<>();
        List<Object[]> rows = em.createNativeQuery("""
                        SELECT kind, object_key, department_code, CAST(spec AS text) FROM directory_object
                        WHERE from_revision <= :rev AND (to_revision IS NULL OR to_revision > :rev)""")
                .setParameter("rev", revision).getResultList();
        for (Object[] r : rows) {
            Stored s = new Stored(ObjectKind.valueOf((String) r[0]), (String) r[1], (String) r[2], (String) r[3]);
            out.put(s.kind() + " " + s.key(), s);
        }
        return out;
    }
}
