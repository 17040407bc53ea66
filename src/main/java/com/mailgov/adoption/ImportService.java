package com.mailgov.adoption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mailgov.adoption.ImportDtos.ImportRequest;
import com.mailgov.adoption.ImportDtos.ImportResult;
import com.mailgov.adoption.ImportDtos.MappingRule;
import com.mailgov.adoption.ImportDtos.Problem;
import com.mailgov.adoption.ImportDtos.Proposal;
import com.mailgov.adoption.ServerInventory.Found;
import com.mailgov.audit.AuditLog;
import com.mailgov.change.ChangeAction;
import com.mailgov.change.ChangeRequestDtos.ItemRequest;
import com.mailgov.change.ChangeRequestDtos.SubmitChangeRequest;
import com.mailgov.change.ChangeStatus;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.DepartmentService;
import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.MailAddresses;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ListMemberSpec;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.directory.spec.MailingListSpec;
import com.mailgov.directory.spec.SpecReader;
import com.mailgov.policy.facts.LoopFacts;
import com.mailgov.policy.facts.ObservedFact;
import com.mailgov.push.connector.ActiveSieveReader;
import com.mailgov.push.connector.ArtifactKey;
import com.mailgov.push.connector.ConnectorException;
import com.mailgov.push.connector.MailServerConnector;
import com.mailgov.push.connector.MailServerTarget;
import com.mailgov.push.connector.ReadScope;
import com.mailgov.push.connector.ServerKind;
import com.mailgov.push.pipeline.ServerMailboxes;
import com.mailgov.push.server.ConnectorFactory;
import com.mailgov.push.server.MailServer;
import com.mailgov.push.server.MailServerService;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Import (adopt): reads everything a server holds and proposes it as change requests, one or more
 * per department, which the policies check and another person approves like any change. Nothing is
 * written to the server. Repeating is idempotent and an interrupted import resumes: objects the
 * directory already holds, and objects an undecided request of an earlier import already proposes,
 * are skipped. Each proposed request commits on its own with its artifacts (see {@link ImportChunks}).
 */
@ApplicationScoped
public class ImportService {

    public static final String DEFAULT_HOLDING = "IMPORTED";
    private static final Logger LOG = Logger.getLogger(ImportService.class);
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");
    /** The order objects are proposed in: what others refer to first. */
    @Inject
    ConnectorFactory connectors;

    @Inject
    MailServerService servers;

    @Inject
    ServerMailboxes serverMailboxes;

    @Inject
    DirectoryCache cache;

    @Inject
    DirectoryService directory;

    @Inject
    DepartmentService departments;

    @Inject
    SpecReader specReader;

    @Inject
    ImportChunks chunks;

    @Inject
    LoopFacts loopFacts;

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Inject
    MailgovConfig config;

    @Inject
    com.mailgov.directory.domains.CompanyDomains companyDomains;

    @Inject
    ObjectMapper json;

    /** One import per server at a time in this process; a second replica is caught by the pending-items check. */
    private final Map<Long, ReentrantLock> running = new ConcurrentHashMap<>();

    public ImportResult importServer(Actor actor, long serverId, ImportRequest body) {
        ImportRequest request = validate(body);
        ReentrantLock lock = running.computeIfAbsent(serverId, k -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new ApiException(ProblemType.CONFLICT, "An import of server " + serverId + " is already running", List.of(), Map.of());
        }
        try {
            return run(actor, serverId, request);
        } finally {
            lock.unlock();
        }
    }

    private ImportResult run(Actor actor, long serverId, ImportRequest request) {
        MailServer server = QuarkusTransaction.requiringNew().call(() -> MailServerService.find(serverId));
        MailServerTarget target = QuarkusTransaction.requiringNew().call(() -> servers.target(MailServerService.find(serverId)));
        String source = factSource(serverId);

        ServerInventory inventory = new ServerInventory(specReader::isInternal);
        long started = System.nanoTime();
        read(serverId, target, inventory, source);
        long readNanos = System.nanoTime() - started;

        // Which department gets each object. One rule set is usually sent to every server, so a rule
        // that matches nothing here is no error (validate() refuses rules that cannot match on any
        // server); it is listed, when it could apply to this kind of server, so a typo still shows.
        List<MappingRule> rules = request.rules();
        int[] hits = new int[rules.size()];
        Map<Found, String> departmentOf = new LinkedHashMap<>();
        for (Found f : inventory.found) {
            departmentOf.put(f, department(f.address(), rules, hits, request.holdingDepartment()));
        }
        List<Problem> unusedRules = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            if (hits[i] == 0 && (rules.get(i).list() == null || server.kind == ServerKind.MAILMAN)) {
                unusedRules.add(new Problem("rules[" + i + "]", "matches nothing that server " + server.name + " holds"));
            }
        }

        // Until an approved import makes them mailgov's, the server's objects take part in every loop
        // check as observed facts (the directory's own objects win where both exist).
        List<ObservedFact> facts = new ArrayList<>(inventory.facts);
        for (Found f : inventory.found) {
            if (!(f.spec() instanceof MailboxSpec)) {
                facts.add(new ObservedFact(source, server.name + ": " + key(f), f.spec()));
            }
        }
        loopFacts.replace(source, facts);

        // Compare with the directory and with what undecided imports already propose.
        QuarkusTransaction.requiringNew().run(() -> cache.refreshTo(directory.currentRevision()));
        Set<String> pending = pendingKeys();
        Map<String, List<Found>> byDepartment = new LinkedHashMap<>();
        int unchanged = 0;
        int pendingCount = 0;
        List<Problem> problems = new ArrayList<>(inventory.problems);
        problems.addAll(unusedRules);
        for (Map.Entry<Found, String> e : departmentOf.entrySet()) {
            Found f = e.getKey();
            DirectoryEntry existing = cache.read(view -> view.get(f.spec().kind(), f.spec().key()).orElse(null));
            if (existing != null) {
                if (same(existing, f)) {
                    unchanged++;
                } else {
                    problems.add(new Problem(f.spec().kind() + ":" + f.spec().key(), "the directory holds it differently"
                            + " (department " + existing.department() + "): not imported; the difference shows as drift"));
                }
                continue;
            }
            // a membership of a list that an undecided import proposes is part of that proposal
            if (pending.contains(f.spec().kind() + " " + f.spec().key())
                    || f.spec() instanceof ListMemberSpec m && pending.contains(ObjectKind.MAILING_LIST + " " + m.list())) {
                pendingCount++;
                continue;
            }
            byDepartment.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(f);
        }

        if (byDepartment.containsKey(request.holdingDepartment()) && departments.find(request.holdingDepartment()).isEmpty()) {
            try {
                departments.create(actor, request.holdingDepartment(), "Imported from mail servers (to be assigned)");
            } catch (ApiException alreadyCreated) {
                // another import created it meanwhile
            }
        }

        List<Proposal> proposals = new ArrayList<>();
        int proposed = 0;
        int maxItems = config.limits().maxItems();
        for (Map.Entry<String, List<Found>> e : byDepartment.entrySet()) {
            List<List<Found>> batches = ImportBatches.pack(e.getValue(), maxItems);
            for (int i = 0; i < batches.size(); i++) {
                Proposal p = submitChunk(actor, server, e.getKey(), new ArrayList<>(batches.get(i)), i + 1, batches.size(), problems);
                if (p != null) {
                    proposals.add(p);
                    proposed += p.items();
                }
            }
        }

        ImportResult result = new ImportResult(serverId, server.name, server.kind.name(), inventory.read, proposed, unchanged,
                pendingCount, proposals, problems, inventory.scripts);
        record(actor, serverId, result);
        // where an import's time goes (the server's read, or checking and storing the proposals)
        LOG.infof("Import of server %s: read %d objects in %d ms; proposed %d in %d requests in %d ms (%d problems)", server.name,
                inventory.read, readNanos / 1_000_000, proposed, proposals.size(), (System.nanoTime() - started - readNanos) / 1_000_000,
                problems.size());
        return result;
    }

    private void read(long serverId, MailServerTarget target, ServerInventory inventory, String source) {
        try {
            if (target.kind() == ServerKind.DOVECOT_MANAGESIEVE) {
                Set<String> mailboxes = new TreeSet<>(serverMailboxes.list(serverId, target));
                QuarkusTransaction.requiringNew().run(() -> cache.refreshTo(directory.currentRevision()));
                cache.read(view -> {
                    view.all(ObjectKind.MAILBOX).forEach(e -> mailboxes.add(((MailboxSpec) e.spec()).address()));
                    return null;
                });
                inventory.mailboxes(source, new ActiveSieveReader(target).read(mailboxes));
                return;
            }
            Map<ArtifactKey, String> all;
            try (MailServerConnector c = connectors.open(target)) {
                all = c.read(ReadScope.everything(Set.of()));
            }
            if (target.kind() == ServerKind.MAILMAN) {
                inventory.lists(all);
            } else {
                inventory.aliases(all, source, target.name());
            }
        } catch (ConnectorException e) {
            throw new ApiException(ProblemType.CONFLICT, "Could not read server " + target.name() + ": " + e.getMessage(),
                    List.of(), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + target.name(), e);
        }
    }

    /**
     * Submits one request; a request the service refuses because of some of its items is submitted
     * again without them (each listed with the reason), so one bad row never fails the import.
     */
    private Proposal submitChunk(Actor actor, MailServer server, String department, List<Found> chunk, int part, int parts,
                                 List<Problem> problems) {
        for (int attempt = 0; attempt < 5 && !chunk.isEmpty(); attempt++) {
            List<ItemRequest> items = new ArrayList<>();
            List<ArtifactKey> artifacts = new ArrayList<>();
            for (Found f : chunk) {
                items.add(new ItemRequest(ChangeAction.CREATE, f.spec().kind(), json.valueToTree(f.spec())));
                artifacts.addAll(f.artifacts());
            }
            String title = "Import from " + server.name + (parts > 1 ? " (" + part + "/" + parts + ")" : "");
            SubmitChangeRequest body = new SubmitChangeRequest(department, title,
                    "What server " + server.name + " (" + server.kind + ") already holds, proposed for adoption. Approving it "
                            + "writes nothing to the server; mailgov then manages these objects.", null, items);
            try {
                return new Proposal(department, chunks.submit(actor, server.id, body, artifacts), items.size());
            } catch (ApiException refused) {
                Set<Integer> bad = new TreeSet<>();
                for (var fe : refused.errors() == null ? List.<com.mailgov.web.Problem.FieldError>of() : refused.errors()) {
                    java.util.regex.Matcher m = Pattern.compile("^items\\[(\\d+)]").matcher(fe.field() == null ? "" : fe.field());
                    if (m.find()) {
                        int i = Integer.parseInt(m.group(1));
                        if (i < chunk.size() && bad.add(i)) {
                            problems.add(new Problem(key(chunk.get(i)), "refused: " + fe.message()));
                        }
                    }
                }
                if (bad.isEmpty()) {
                    for (Found f : chunk) {
                        problems.add(new Problem(key(f), "not proposed: " + refused.getMessage()));
                    }
                    return null;
                }
                List<Found> rest = new ArrayList<>();
                for (int i = 0; i < chunk.size(); i++) {
                    if (!bad.contains(i)) {
                        rest.add(chunk.get(i));
                    }
                }
                chunk = rest;
            }
        }
        return null;
    }

    private static String key(Found f) {
        return f.spec().kind() + ":" + f.spec().key();
    }

    /** Kind+key of every object an undecided request proposes to create. */
    private Set<String> pendingKeys() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createQuery("SELECT i.kind, i.objectKey FROM ChangeItem i WHERE i.changeRequest.status = :s")
                    .setParameter("s", ChangeStatus.SUBMITTED).getResultList();
            Set<String> out = new HashSet<>();
            for (Object[] r : rows) {
                out.add(r[0] + " " + r[1]);
            }
            return out;
        });
    }

    private static boolean same(DirectoryEntry existing, Found f) {
        if (f.spec() instanceof MailboxSpec) {
            return true; // the server knows no display name
        }
        if (f.spec() instanceof MailingListSpec l && existing.spec() instanceof MailingListSpec d) {
            return Objects.equals(l.replyToList(), d.replyToList()) && Objects.equals(l.addsListHeaders(), d.addsListHeaders());
        }
        return existing.spec().equals(f.spec());
    }

    static String department(String address, List<MappingRule> rules, int[] hits, String holding) {
        String domain = MailAddresses.domainOf(address);
        for (String kind : List.of("list", "address", "domain")) {
            for (int i = 0; i < rules.size(); i++) {
                MappingRule r = rules.get(i);
                boolean match = switch (kind) {
                    case "list" -> r.list() != null && r.list().equalsIgnoreCase(address);
                    case "address" -> r.address() != null && glob(r.address()).matcher(address).matches();
                    default -> r.domain() != null && (domain.equalsIgnoreCase(r.domain())
                            || domain.toLowerCase(Locale.ROOT).endsWith("." + r.domain().toLowerCase(Locale.ROOT)));
                };
                if (match) {
                    hits[i]++;
                    return r.department();
                }
            }
        }
        return holding;
    }

    /**
     * Whether a rule can match an address of one of the company's domains at all (the import skips
     * every other source), whatever server it is sent to.
     */
    static boolean couldMatch(MappingRule r, List<String> internalDomains) {
        if (r.domain() != null) {
            String d = r.domain().toLowerCase(Locale.ROOT);
            return internalDomains.stream().anyMatch(i -> i.equals(d) || i.endsWith("." + d));
        }
        String pattern = r.address() != null ? r.address() : r.list();
        int at = pattern.lastIndexOf('@');
        if (at < 0) {
            return r.address() != null && pattern.contains("*"); // e.g. "sales-*": may still end in a company domain
        }
        Pattern domain = glob(pattern.substring(at + 1).toLowerCase(Locale.ROOT));
        return internalDomains.stream().anyMatch(i -> domain.matcher(i).matches());
    }

    private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();

    private static Pattern glob(String pattern) {
        return GLOBS.computeIfAbsent(pattern, p -> {
            StringBuilder re = new StringBuilder();
            for (String part : p.toLowerCase(Locale.ROOT).split("\\*", -1)) {
                if (!re.isEmpty()) {
                    re.append(".*");
                }
                re.append(Pattern.quote(part));
            }
            return Pattern.compile(re.toString());
        });
    }

    private ImportRequest validate(ImportRequest body) {
        List<MappingRule> rules = body == null || body.rules() == null ? List.of() : body.rules();
        String holding = body == null || body.holdingDepartment() == null || body.holdingDepartment().isBlank()
                ? DEFAULT_HOLDING : body.holdingDepartment().strip();
        FieldErrors errors = new FieldErrors();
        if (!CODE.matcher(holding).matches()) {
            errors.add("holdingDepartment", "must be 1–32 ASCII letters, digits, '_' or '-', starting with a letter or digit");
        }
        if (rules.size() > 1000) {
            errors.add("rules", "at most 1000 rules");
        }
        for (int i = 0; i < rules.size() && i < 1000; i++) {
            MappingRule r = rules.get(i);
            String p = "rules[" + i + "]";
            if (r == null) {
                errors.add(p, "is empty");
                continue;
            }
            int set = (r.domain() == null ? 0 : 1) + (r.address() == null ? 0 : 1) + (r.list() == null ? 0 : 1);
            if (set != 1) {
                errors.add(p, "needs exactly one of domain, address, list");
            }
            if (r.department() == null || r.department().isBlank()) {
                errors.add(p + ".department", "is required");
            } else if (departments.find(r.department()).isEmpty()) {
                errors.add(p + ".department", "no department " + r.department());
            }
            for (String[] f : new String[][]{{"domain", r.domain()}, {"address", r.address()}, {"list", r.list()}}) {
                if (f[1] != null && (f[1].isBlank() || f[1].length() > 254 || f[1].chars().anyMatch(c -> c < 0x20))) {
                    errors.add(p + "." + f[0], "must be one line of 1–254 characters");
                }
            }
            boolean oneLine = java.util.stream.Stream.of(r.domain(), r.address(), r.list()).filter(Objects::nonNull)
                    .allMatch(v -> !v.isBlank() && v.length() <= 254 && v.chars().noneMatch(c -> c < 0x20));
            if (set == 1 && oneLine && !couldMatch(r, companyDomains.list())) {
                errors.add(p, "matches nothing on any server: the import takes only addresses in the company's domains "
                        + companyDomains.list());
            }
        }
        errors.throwIfAny();
        return new ImportRequest(rules, holding);
    }

    private void record(Actor actor, long serverId, ImportResult result) {
        QuarkusTransaction.requiringNew().run(() -> {
            String text;
            try {
                text = json.writeValueAsString(result);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            em.createNativeQuery("""
                            INSERT INTO import_run (server_id, finished_at, actor, result) VALUES (:s, :t, :a, :r)
                            ON CONFLICT (server_id) DO UPDATE SET finished_at = EXCLUDED.finished_at, actor = EXCLUDED.actor,
                                result = EXCLUDED.result""")
                    .setParameter("s", serverId).setParameter("t", Instant.now().truncatedTo(ChronoUnit.MICROS))
                    .setParameter("a", actor.username()).setParameter("r", text).executeUpdate();
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("read", result.read());
            summary.put("proposed", result.proposed());
            summary.put("unchanged", result.unchanged());
            summary.put("pending", result.pending());
            summary.put("requests", result.requests().stream().map(p -> p.changeRequestId().toString()).toList());
            summary.put("problems", result.problems().size());
            audit.record(actor, "server.imported", "MAIL_SERVER", Long.toString(serverId), null, summary);
        });
    }

    /** Who the facts of a server's import are reported as, in {@link LoopFacts}. */
    static String factSource(long serverId) {
        return "server:" + serverId;
    }

    /**
     * A deleted server's objects are no longer on any server mailgov knows: its facts go, once the
     * deletion is committed (not inside it: that held a second pooled connection, and a rolled-back
     * deletion would have lost the facts).
     */
    void onServerDeleted(@jakarta.enterprise.event.Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS)
                         com.mailgov.push.server.ServerDeleted event) {
        loopFacts.clear(factSource(event.serverId()));
    }

    /** The latest import of every server, for the risk report. */
    public List<ImportResult> latest() {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> rows = em.createNativeQuery("SELECT result FROM import_run ORDER BY server_id").getResultList();
            List<ImportResult> out = new ArrayList<>();
            for (String r : rows) {
                try {
                    out.add(json.readValue(r, ImportResult.class));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        });
    }

}
