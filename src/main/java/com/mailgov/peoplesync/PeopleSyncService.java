package com.mailgov.peoplesync;

import com.mailgov.audit.AuditLog;
import com.mailgov.json.Json;
import com.mailgov.change.ChangeRequest;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.change.ChangeRequestService;
import com.mailgov.config.CompanyTime;
import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.domains.CompanyDomains;
import com.mailgov.peoplesync.DirectorySourceDtos.AttributeMapping;
import com.mailgov.peoplesync.DirectorySourceDtos.SyncProposal;
import com.mailgov.peoplesync.DirectorySourceDtos.SyncRunView;
import com.mailgov.peoplesync.DirectorySourceDtos.SyncReport;
import com.mailgov.push.server.CredentialAllowList;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import javax.naming.NamingException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Syncs people from a directory source: read the directory (outside any transaction), plan
 * against the approved directory, submit the plan as ordinary change requests — joiners and
 * moves as standard changes the policy approves at once, each leaver's removals for an approver —
 * and store the run's report. One run per source at a time, across replicas (a claim on the
 * source's row); every run is audited.
 */
@ApplicationScoped
public class PeopleSyncService {

    private static final Logger LOG = Logger.getLogger(PeopleSyncService.class);
    /** A run older than this is taken for crashed and its claim for free. */
    private static final int STALE_RUN_MINUTES = 30;
    /** Objects per joiners/moves request: the standard change classes' default maxObjects. */
    private static final int MAX_ITEMS_PER_REQUEST = 200;

    @Inject
    EntityManager em;

    @Inject
    DirectorySourceService sources;

    @Inject
    CredentialAllowList credentials;

    @Inject
    ChangeRequestService changes;

    @Inject
    DirectoryService directory;

    @Inject
    DirectoryCache cache;

    @Inject
    CompanyDomains domains;

    @Inject
    CompanyTime time;

    @Inject
    AuditLog audit;

    @Inject
    Json json;

    /** The source as a run uses it, read once when the run claims it. */
    private record Claimed(long id, String name, LdapSearch.Settings settings, String credentialRef, AttributeMapping attributes,
                           Map<String, String> departments) {
    }

    /** Runs a sync now; 429 while another run of the source is going. */
    public SyncRunView sync(Actor actor, long sourceId) {
        Claimed source = QuarkusTransaction.requiringNew().call(() -> claim(sourceId));
        try {
            return run(actor, source);
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "UPDATE directory_source SET running_since = NULL WHERE id = :id").setParameter("id", sourceId).executeUpdate());
        }
    }

    /** Each enabled source with an interval at most once per interval, across replicas (a conditional UPDATE). */
    @Scheduled(every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void syncDue() {
        @SuppressWarnings("unchecked")
        List<Number> due = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        UPDATE directory_source SET scheduled_at = now()
                        WHERE enabled AND sync_interval_seconds IS NOT NULL
                          AND (scheduled_at IS NULL OR scheduled_at < now() - make_interval(secs => sync_interval_seconds * 0.9))
                        RETURNING id""").getResultList());
        for (Number id : due) {
            try {
                sync(Actor.system(), id.longValue());
            } catch (ApiException e) {
                LOG.infof("scheduled sync of directory source %d skipped: %s", id.longValue(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "scheduled sync of directory source %d failed", id.longValue());
            }
        }
    }

    private Claimed claim(long id) {
        DirectorySource s = DirectorySourceService.find(id);
        if (!s.enabled) {
            throw new ApiException(ProblemType.INVALID_STATE, "Directory source " + s.name + " is disabled");
        }
        int claimed = em.createNativeQuery("""
                        UPDATE directory_source SET running_since = now()
                        WHERE id = :id AND (running_since IS NULL OR running_since < now() - make_interval(mins => :stale))""")
                .setParameter("id", id).setParameter("stale", STALE_RUN_MINUTES).executeUpdate();
        if (claimed == 0) {
            throw new ApiException(ProblemType.TOO_MANY_REQUESTS, "A sync of directory source " + s.name
                    + " is running; ask again when it has finished", List.of(), Map.of("retryAfterSeconds", 10));
        }
        AttributeMapping a = sources.attributes(s);
        List<String> wanted = new ArrayList<>(List.of(a.mail(), a.displayName(), a.department()));
        wanted.addAll(a.aliases());
        if (a.leavingDate() != null) {
            wanted.add(a.leavingDate());
        }
        javax.net.ssl.SSLSocketFactory trust;
        try {
            trust = s.caCertificate == null ? null : SourceTrust.trusting(s.caCertificate);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the source's caCertificate cannot be used: " + e.getMessage(), e);
        }
        LdapSearch.Settings settings = new LdapSearch.Settings(s.url, s.startTls, trust, s.bindDn, null, s.baseDn, s.filter,
                wanted.stream().distinct().toList());
        return new Claimed(s.id, s.name, settings, s.credentialRef, a, sources.departments(s));
    }

    private SyncRunView run(Actor actor, Claimed source) {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long t0 = System.nanoTime();
        SyncReport report;
        String status;
        int entries = 0;
        try {
            LdapSearch.Settings s = source.settings();
            String password = source.credentialRef() == null ? null : credentials.resolve(source.credentialRef());
            List<LdapSearch.Entry> found = LdapSearch.search(new LdapSearch.Settings(s.url(), s.startTls(), s.trust(), s.bindDn(), password,
                    s.baseDn(), s.filter(), s.attributes()));
            entries = found.size();
            long ldapMillis = millis(t0);
            PersonReader.Result read = PersonReader.read(found, source.attributes(), source.departments(), time.zone(),
                    domains::isInternal);
            SyncPlan plan = QuarkusTransaction.requiringNew().call(() -> plan(source, read, found.isEmpty()));
            List<SyncProposal> proposals = submit(source, plan, actor);
            QuarkusTransaction.requiringNew().run(() -> remember(source.id(), read, started));
            report = new SyncReport(null, millis(t0), ldapMillis, entries, read.people().size(), plan.unchanged, proposals, plan.problems,
                    plan.pending);
            status = proposals.stream().anyMatch(p -> p.error() != null) ? "PARTIAL" : "OK";
        } catch (NamingException e) {
            report = failed("LDAP: " + describe(e), t0, entries);
            status = "FAILED";
        } catch (IllegalStateException | ApiException e) {
            report = failed(e.getMessage(), t0, entries);
            status = "FAILED";
        }
        SyncReport done = report;
        String outcome = status;
        int count = entries;
        return QuarkusTransaction.requiringNew().call(() -> store(actor, source, started, outcome, count, done));
    }

    private SyncPlan plan(Claimed source, PersonReader.Result read, boolean empty) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT address, dn FROM directory_source_person WHERE source_id = :id")
                .setParameter("id", source.id()).getResultList();
        if (empty && !rows.isEmpty()) {
            // A directory that suddenly lists nobody is an outage or a wrong filter, not a company that left.
            throw new IllegalStateException("the directory returned no entries under " + source.settings().baseDn()
                    + " with " + source.settings().filter() + "; nobody is taken for a leaver");
        }
        List<SyncPlan.Known> known = rows.stream().map(r -> new SyncPlan.Known((String) r[0], (String) r[1])).toList();
        @SuppressWarnings("unchecked")
        List<String> pending = em.createNativeQuery("""
                        SELECT i.kind || ' ' || i.object_key FROM change_item i JOIN change_request r ON r.id = i.change_request_id
                        WHERE r.created_by = :actor AND r.status IN ('SUBMITTED', 'REJECTED')""")
                .setParameter("actor", actorName(source)).getResultList();
        Set<String> pendingKeys = new HashSet<>(pending);
        cache.refreshTo(directory.currentRevision());
        Instant now = Instant.now();
        return cache.read(view -> SyncPlan.of(read, known, view, pendingKeys, now));
    }

    private List<SyncProposal> submit(Claimed source, SyncPlan plan, Actor trigger) {
        Actor sync = new Actor(actorName(source), Set.of(), null, trigger.sourceIp(), trigger.requestId());
        List<SyncProposal> proposals = new ArrayList<>();
        plan.joiners.forEach((department, people) -> grouped(sync, source, "JOINERS", department, people, proposals,
                n -> "Joiners from the company directory (" + n + ")",
                "The company directory " + source.name() + " lists them and mailgov has no mailbox for them yet"));
        plan.moves.forEach((department, people) -> grouped(sync, source, "MOVES", department, people, proposals,
                n -> "Department moves from the company directory (" + n + ")",
                "The company directory " + source.name() + " says they work in this department now"));
        for (SyncPlan.Leaver leaver : plan.leavers) {
            String who = leaver.displayName() == null ? leaver.address() : leaver.displayName() + " <" + leaver.address() + ">";
            leaver.itemsByOwner().forEach((department, items) -> proposals.add(submitOne(sync, source, "LEAVER", department,
                    List.of(leaver.address()), items, "Leaver " + who + ": remove forwards, autoreplies and list memberships",
                    "The company directory " + source.name() + ": " + leaver.why() + ". The mailbox itself stays.")));
        }
        return proposals;
    }

    /** People of one department in requests of at most {@link #MAX_ITEMS_PER_REQUEST} items; a failing request is retried per person. */
    private void grouped(Actor sync, Claimed source, String kind, String department, List<SyncPlan.PersonItems> people,
                         List<SyncProposal> proposals, java.util.function.IntFunction<String> title, String reason) {
        List<SyncPlan.PersonItems> chunk = new ArrayList<>();
        int items = 0;
        List<List<SyncPlan.PersonItems>> chunks = new ArrayList<>();
        for (SyncPlan.PersonItems p : people) {
            if (items + p.items().size() > MAX_ITEMS_PER_REQUEST && !chunk.isEmpty()) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                items = 0;
            }
            chunk.add(p);
            items += p.items().size();
        }
        chunks.add(chunk);
        for (List<SyncPlan.PersonItems> c : chunks) {
            SyncProposal all = submitOne(sync, source, kind, department, addresses(c), c.stream().flatMap(p -> p.items().stream()).toList(),
                    title.apply(c.size()), reason);
            if (all.error() == null || c.size() == 1) {
                proposals.add(all);
                continue;
            }
            for (SyncPlan.PersonItems p : c) {
                proposals.add(submitOne(sync, source, kind, department, List.of(p.address()), p.items(), title.apply(1), reason));
            }
        }
    }

    private SyncProposal submitOne(Actor sync, Claimed source, String kind, String department, List<String> people,
                               List<ItemRequest> items, String title, String reason) {
        SubmitChangeRequest body = new SubmitChangeRequest(department, title.length() > 200 ? title.substring(0, 200) : title,
                reason, null, items);
        try {
            UUID id = changes.submitFromDirectory(sync, body, source.name()).id();
            return QuarkusTransaction.requiringNew().call(() -> {
                ChangeRequest cr = em.find(ChangeRequest.class, id);
                return new SyncProposal(kind, department, people, items.size(), id, cr.status.name(), cr.standardChange, null);
            });
        } catch (ApiException e) {
            String detail = e.getMessage() + (e.errors().isEmpty() ? "" : " " + e.errors().stream()
                    .map(f -> f.field() + ": " + f.message()).toList());
            return new SyncProposal(kind, department, people, items.size(), null, null, null, detail);
        }
    }

    /** Who this source has seen: refreshed with every person read; rows of people no longer listed stay (the leaver rule needs them). */
    private void remember(long sourceId, PersonReader.Result read, Instant now) {
        for (Person p : read.people()) {
            em.createNativeQuery("""
                            INSERT INTO directory_source_person (source_id, address, dn, department_code, last_seen_at)
                            VALUES (:s, :a, :dn, :d, :t)
                            ON CONFLICT (source_id, address) DO UPDATE
                            SET dn = :dn, department_code = :d, last_seen_at = :t, gone_at = NULL""")
                    .setParameter("s", sourceId).setParameter("a", p.address()).setParameter("dn", p.dn())
                    .setParameter("d", p.department()).setParameter("t", now).executeUpdate();
        }
        em.createNativeQuery("UPDATE directory_source_person SET gone_at = :t WHERE source_id = :s AND last_seen_at < :t AND gone_at IS NULL")
                .setParameter("s", sourceId).setParameter("t", now).executeUpdate();
    }

    private SyncRunView store(Actor actor, Claimed source, Instant started, String status, int entries, SyncReport report) {
        SyncRun run = new SyncRun();
        run.sourceId = source.id();
        run.triggeredBy = actor.username();
        run.startedAt = started;
        run.finishedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        run.status = status;
        run.entries = entries;
        run.report = json.write(report);
        run.persist();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("source", source.name());
        summary.put("run", run.id);
        summary.put("status", status);
        summary.put("entries", entries);
        summary.put("changeRequests", report.proposals() == null ? List.of()
                : report.proposals().stream().filter(p -> p.changeRequest() != null).map(p -> p.changeRequest().toString()).toList());
        summary.put("skipped", report.problems() == null ? 0 : report.problems().stream().filter(DirectorySourceDtos.DirectoryEntryProblem::skipped).count());
        if (report.error() != null) {
            summary.put("error", report.error());
        }
        audit.record(actor, "directory_sync.run", "DIRECTORY_SOURCE", String.valueOf(source.id()), null, summary);
        return view(run);
    }

    public List<SyncRunView> runs(long sourceId, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            DirectorySourceService.find(sourceId);
            return SyncRun.<SyncRun>find("sourceId = ?1 ORDER BY startedAt DESC, id DESC", sourceId).page(0, limit).list()
                    .stream().map(PeopleSyncService::view).toList();
        });
    }

    public SyncRunView run(long sourceId, long runId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SyncRun run = SyncRun.findById(runId);
            if (run == null || run.sourceId != sourceId) {
                throw ApiException.notFound("Sync run " + runId + " of directory source " + sourceId);
            }
            return view(run);
        });
    }

    private static List<String> addresses(List<SyncPlan.PersonItems> people) {
        return people.stream().map(SyncPlan.PersonItems::address).toList();
    }

    static SyncRunView view(SyncRun r) {
        return new SyncRunView(r.id, r.sourceId, r.triggeredBy, r.startedAt, r.finishedAt, r.status, r.entries, r.report);
    }

    static String actorName(Claimed source) {
        return "directory-sync:" + source.name();
    }

    private static SyncReport failed(String error, long t0, int entries) {
        return new SyncReport(error, millis(t0), null, entries, 0, 0, List.of(), List.of(), List.of());
    }

    private static long millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** The LDAP error without the bind password or anything else from the environment. */
    private static String describe(NamingException e) {
        String text = e.getExplanation() != null ? e.getExplanation() : e.getClass().getSimpleName();
        Throwable root = e.getRootCause();
        return root == null || root.getMessage() == null ? text : text + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

}
