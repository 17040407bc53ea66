package com.mailgov.directory;

import com.mailgov.audit.AuditLog;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.directory.spec.SpecCodec;
import com.mailgov.security.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.FlushMode;
import org.hibernate.query.NativeQuery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The approved directory: its revisions, how approvals write them, and how to browse them. */
@ApplicationScoped
@Transactional
public class DirectoryService {

    @Inject
    EntityManager em;

    @Inject
    SpecCodec codec;

    @Inject
    DirectoryCache cache;

    @Inject
    AuditLog audit;

    /** The latest committed revision. */
    public long currentRevision() {
        return ((Number) headQuery("SELECT revision FROM directory_head WHERE id = 1").getSingleResult()).longValue();
    }

    /**
     * Locks the head until the transaction ends, so approvals apply one after another, and
     * returns the committed revision the caller builds on.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long lockHead() {
        return ((Number) headQuery("SELECT revision FROM directory_head WHERE id = 1 FOR UPDATE").getSingleResult()).longValue();
    }

    /**
     * A statement on directory_head, which no entity maps: no flush (nor the dirty check of every
     * entity in the session that even a query space of its own costs) before it.
     */
    private NativeQuery<?> headQuery(String sql) {
        return em.createNativeQuery(sql).unwrap(NativeQuery.class).addSynchronizedQuerySpace("directory_head")
                .setHibernateFlushMode(FlushMode.MANUAL);
    }

    /**
     * The revision after {@code base} that last touched this object, if any. The in-memory view
     * answers when it has seen every revision since {@code base}; otherwise the database does.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Long> changedAfter(long base, DirectoryView view, ObjectKind kind, String key) {
        Optional<Long> last = base >= view.historyKnownAfter() ? view.lastChanged(kind, key) : lastChangedInDatabase(kind, key);
        return last.filter(revision -> revision > base);
    }

    private Optional<Long> lastChangedInDatabase(ObjectKind kind, String key) {
        Object result = em.createNativeQuery("""
                        SELECT max(GREATEST(from_revision, COALESCE(to_revision, 0)))
                        FROM directory_object WHERE kind = :kind AND object_key = :key""")
                .setParameter("kind", kind.name())
                .setParameter("key", key)
                .getSingleResult();
        return Optional.ofNullable(result).map(r -> ((Number) r).longValue());
    }

    /**
     * Writes the changes as revision {@code base + 1}; the caller holds the head lock from
     * {@link #lockHead()}. Each object change is audited with its before and after state.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long apply(long base, UUID changeRequestId, Actor actor, List<ObjectChange> changes) {
        long revision = base + 1;
        DirectoryRevision rev = new DirectoryRevision();
        rev.number = revision;
        rev.changeRequestId = changeRequestId;
        rev.createdBy = actor.username();
        rev.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        em.persist(rev);
        em.flush();
        for (ObjectChange change : changes) {
            if (change.before() != null) {
                int closed = em.createNativeQuery("""
                                UPDATE directory_object SET to_revision = :rev
                                WHERE kind = :kind AND object_key = :key AND to_revision IS NULL""")
                        .unwrap(NativeQuery.class).addSynchronizedQuerySpace("directory_object")
                        .setParameter("rev", revision)
                        .setParameter("kind", change.kind().name())
                        .setParameter("key", change.key())
                        .executeUpdate();
                if (closed != 1) {
                    throw new IllegalStateException("expected one current " + change.kind() + " " + change.key());
                }
            }
            if (change.after() != null) {
                DirectoryObject row = new DirectoryObject();
                row.kind = change.kind();
                row.objectKey = change.key();
                row.departmentCode = change.department();
                row.spec = codec.write(change.after());
                row.fromRevision = revision;
                em.persist(row);
            }
        }
        headQuery("UPDATE directory_head SET revision = :rev WHERE id = 1").setParameter("rev", revision).executeUpdate();
        for (ObjectChange change : changes) {
            audit.record(actor, "directory.object." + change.type().name().toLowerCase(), change.kind().name(),
                    change.key(), change.before(), change.after());
        }
        return revision;
    }

    /** Current objects, optionally of one department and kind; lists carry their members. */
    public DirectoryListing list(String department, ObjectKind kind) {
        long revision = currentRevision();
        StringBuilder jpql = new StringBuilder("FROM DirectoryObject o WHERE o.toRevision IS NULL");
        if (department != null) {
            jpql.append(" AND o.departmentCode = :department");
        }
        if (kind != null) {
            jpql.append(" AND o.kind = :kind");
        }
        jpql.append(" ORDER BY o.kind, o.objectKey");
        var query = em.createQuery(jpql.toString(), DirectoryObject.class);
        if (department != null) {
            query.setParameter("department", department);
        }
        if (kind != null) {
            query.setParameter("kind", kind);
        }
        List<DirectoryObject> rows = query.getResultList();
        cache.refreshTo(revision);
        List<DirectoryObjectView> views = new ArrayList<>(rows.size());
        for (DirectoryObject row : rows) {
            DirectorySpec spec = codec.read(row.kind, row.spec);
            if (spec instanceof MailingListSpec list) {
                spec = new MailingListSpec(list.address(), list.name(), membersOf(list.address()),
                        list.replyToList(), list.addsListHeaders());
            }
            views.add(new DirectoryObjectView(row.kind, row.objectKey, row.departmentCode, spec, row.fromRevision));
        }
        return new DirectoryListing(revision, views);
    }

    public List<RevisionView> revisions(int limit) {
        return em.createQuery("FROM DirectoryRevision r ORDER BY r.number DESC", DirectoryRevision.class)
                .setMaxResults(limit)
                .getResultStream()
                .map(r -> new RevisionView(r.number, r.changeRequestId, r.createdBy, r.createdAt))
                .toList();
    }

    private List<String> membersOf(String list) {
        return cache.read(view -> view.members(list).stream().sorted().toList());
    }

    public record DirectoryObjectView(ObjectKind kind, String key, String department, DirectorySpec spec, long sinceRevision) {
    }

    public record DirectoryListing(long revision, List<DirectoryObjectView> objects) {
    }

    public record RevisionView(long number, UUID changeRequestId, String createdBy, Instant createdAt) {
    }
}
