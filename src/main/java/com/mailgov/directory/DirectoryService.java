package com.mailgov.directory;

import com.mailgov.audit.AuditLog;
import com.mailgov.directory.spec.DirectorySpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.directory.spec.SpecCodec;
import com.mailgov.security.Actor;
import com.mailgov.web.Cursor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.FlushMode;
import org.hibernate.query.NativeQuery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
        boolean revisionWritten = false;
        for (ObjectChange change : changes) {
            if (change.before() != null) {
                if (!revisionWritten) {
                    // to_revision references the revision row; otherwise it is written with the audit's flush
                    em.flush();
                    revisionWritten = true;
                }
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

    /** The cursor list name of directory pages. */
    public static final String PAGES_NAME = "directory";

    /**
     * One page of the current objects, optionally of one department and kind, in (kind, key)
     * order; {@code search} (lower case) matches keys and spec text. Lists carry their members.
     * Each page is read at the revision current then (given in the listing); a client that
     * needs one revision throughout takes the CSV export.
     */
    public DirectoryListing page(String department, ObjectKind kind, String search, Cursor cursor, int limit) {
        long revision = currentRevision();
        List<Object[]> rows = rows(null, department, kind, search, cursor, limit + 1);
        cache.refreshTo(revision);
        Cursor.Page<DirectoryObjectView> page = Cursor.Page.of(rows.stream().map(this::withMembers).toList(), limit, cursor);
        return new DirectoryListing(revision, page.items(), page.nextToken(PAGES_NAME, DirectoryService::position),
                page.previousToken(PAGES_NAME, DirectoryService::position));
    }

    /**
     * Up to {@code size} objects as they were at {@code revision}, after {@code after} (a page's last
     * object, null for the first): the CSV export streams the whole directory batch by batch, each in
     * a short transaction, and still writes one revision. Lists carry no members (the CSV has none).
     */
    public List<DirectoryObjectView> batchAt(long revision, String department, ObjectKind kind, DirectoryObjectView after, int size) {
        Cursor cursor = after == null ? null : Cursor.after(PAGES_NAME, position(after));
        return rows(revision, department, kind, null, cursor, size).stream().map(this::view).toList();
    }

    private static String[] position(DirectoryObjectView o) {
        return new String[]{o.kind().name(), o.key()};
    }

    /** Keyset query on (kind, object_key): the current rows ({@code at} null) or those valid at revision {@code at}. */
    @SuppressWarnings("unchecked")
    private List<Object[]> rows(Long at, String department, ObjectKind kind, String search, Cursor cursor, int fetch) {
        boolean back = cursor != null && cursor.back();
        StringBuilder sql = new StringBuilder("""
                SELECT kind, object_key, department_code, CAST(spec AS text), from_revision FROM directory_object
                WHERE """);
        sql.append(at == null ? " to_revision IS NULL" : " from_revision <= :at AND (to_revision IS NULL OR to_revision > :at)");
        if (department != null) {
            sql.append(" AND department_code = :department");
        }
        if (kind != null) {
            sql.append(" AND kind = :kind");
        }
        if (cursor != null) {
            sql.append(back ? " AND (kind, object_key) < (:ckind, :ckey)" : " AND (kind, object_key) > (:ckind, :ckey)");
        }
        if (search != null) {
            sql.append(" AND (object_key LIKE :search ESCAPE '\\' OR lower(CAST(spec AS text)) LIKE :search ESCAPE '\\')");
        }
        sql.append(back ? " ORDER BY kind DESC, object_key DESC" : " ORDER BY kind, object_key").append(" LIMIT :fetch");
        var query = em.createNativeQuery(sql.toString(), Object[].class)
                .unwrap(NativeQuery.class).addSynchronizedQuerySpace("directory_object");
        if (at != null) {
            query.setParameter("at", at);
        }
        if (department != null) {
            query.setParameter("department", department);
        }
        if (kind != null) {
            query.setParameter("kind", kind.name());
        }
        if (cursor != null) {
            query.setParameter("ckind", cursor.text(0));
            query.setParameter("ckey", cursor.text(1));
        }
        if (search != null) {
            query.setParameter("search", "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        query.setParameter("fetch", fetch);
        return query.getResultList();
    }

    private DirectoryObjectView withMembers(Object[] row) {
        DirectoryObjectView o = view(row);
        if (o.spec() instanceof MailingListSpec list) {
            return new DirectoryObjectView(o.kind(), o.key(), o.department(), new MailingListSpec(list.address(), list.name(),
                    membersOf(list.address()), list.replyToList(), list.addsListHeaders()), o.sinceRevision());
        }
        return o;
    }

    private DirectoryObjectView view(Object[] row) {
        ObjectKind kind = ObjectKind.valueOf((String) row[0]);
        return new DirectoryObjectView(kind, (String) row[1], (String) row[2], codec.read(kind, (String) row[3]),
                ((Number) row[4]).longValue());
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

    /**
     * @param next     cursor of the page after this one, null on the last page
     * @param previous cursor of the page before this one, null on the first page
     */
    public record DirectoryListing(long revision, List<DirectoryObjectView> objects, String next, String previous) {
    }

    public record RevisionView(long number, UUID changeRequestId, String createdBy, Instant createdAt) {
    }
}
