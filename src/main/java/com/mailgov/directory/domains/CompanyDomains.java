package com.mailgov.directory.domains;

import com.mailgov.audit.AuditLog;
import com.mailgov.config.MailgovConfig;
import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.MailAddresses;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.ExternalSubscriptionSpec;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.ProblemType;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The company's mail domains: everything else is external. They are data (table
 * {@code company_domain}), added and removed by admins through the API/UI and learned by an import
 * ({@link #learn}). Every replica caches them and compares a version counter with the database
 * once per HTTP request (once per call outside one), so a change made on one replica counts on
 * all of them from their next request. {@code mailgov.internal-domains} only seeds the table on
 * the very first start.
 */
@ApplicationScoped
@jakarta.inject.Named("companyDomains")
public class CompanyDomains {

    /** Most objects a refused removal lists (the count is always complete). */
    static final int MAX_LISTED = 100;

    @Inject
    DataSource dataSource;

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Inject
    DirectoryCache cache;

    @Inject
    DirectoryService directory;

    @Inject
    MailgovConfig config;

    private volatile Snapshot cached = new Snapshot(-1, List.of(), java.util.Set.of());

    /** The domains at one version, lower case ASCII, sorted; {@code complete}: those whose directory is complete. */
    public record Snapshot(long version, List<String> domains, java.util.Set<String> complete) {

        public boolean isInternal(String normalisedAddress) {
            String domain = MailAddresses.domainOf(normalisedAddress);
            return domain != null && domains.contains(domain.toLowerCase(Locale.ROOT));
        }
    }

    /** One domain as the API shows it. */
    public record DomainView(String domain, String source, boolean directoryComplete, String createdBy,
                             OffsetDateTime createdAt) {
    }

    /** One directory object that uses a domain, as a refused change lists it. */
    public record Usage(ObjectKind kind, String key, String department) {
    }

    /** The current domains (see the class comment on freshness). */
    public Snapshot current() {
        if (Arc.container() != null && Arc.container().requestContext().isActive()) {
            RequestMemo memo = Arc.container().instance(RequestMemo.class).get();
            Snapshot known = memo.get();
            if (known == null) {
                known = fresh();
                memo.set(known);
            }
            return known;
        }
        return fresh();
    }

    public List<String> list() {
        return current().domains();
    }

    public boolean isInternal(String normalisedAddress) {
        return current().isInternal(normalisedAddress);
    }

    /** True when every mailbox, forward and list of this domain is known to be in the directory. */
    public boolean isDirectoryComplete(String domain) {
        return current().complete().contains(domain);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DomainView> views() {
        List<Object[]> rows = em.createNativeQuery(
                "SELECT domain, source, directory_complete, created_by, created_at FROM company_domain ORDER BY domain",
                Object[].class).getResultList();
        return rows.stream().map(r -> new DomainView((String) r[0], (String) r[1], (Boolean) r[2], (String) r[3],
                toOffset(r[4]))).toList();
    }

    /** Adds a domain (admin, API or UI); 409 when it is one already or when objects would be stranded. */
    @Transactional
    public DomainView add(Actor actor, String rawDomain) {
        String domain = normalise(rawDomain);
        lockState();
        if (exists(domain)) {
            throw new ApiException(ProblemType.CONFLICT, domain + " is already a company domain",
                    List.of(new com.mailgov.web.Problem.FieldError("domain", "already a company domain")), Map.of());
        }
        return insert(actor, domain, "API");
    }

    /**
     * For an import: makes sure the domain is a company domain. Idempotent: returns true when it
     * was added now, false when it already was one. Refused (409) like {@link #add} when an
     * external subscription points into the domain.
     */
    @Transactional
    public boolean learn(Actor actor, String rawDomain) {
        String domain = normalise(rawDomain);
        lockState();
        if (exists(domain)) {
            return false;
        }
        insert(actor, domain, "IMPORT");
        return true;
    }

    /**
     * Says whether the directory holds every mailbox, forward and list of the domain (set it after
     * an import was approved). Only then are unknown addresses in it reported as likely typos.
     */
    @Transactional
    public DomainView setDirectoryComplete(Actor actor, String rawDomain, boolean complete) {
        String domain = normalise(rawDomain);
        lockState();
        DomainView before = views().stream().filter(v -> v.domain().equals(domain)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Company domain " + domain));
        if (before.directoryComplete() != complete) {
            em.createNativeQuery("UPDATE company_domain SET directory_complete = :c WHERE domain = :d")
                    .setParameter("c", complete).setParameter("d", domain).executeUpdate();
            bumpVersion();
            audit.record(actor, "domain.updated", "DOMAIN", domain, Map.of("directoryComplete", before.directoryComplete()),
                    Map.of("directoryComplete", complete));
        }
        return new DomainView(domain, before.source(), complete, before.createdBy(), before.createdAt());
    }

    /**
     * Removes a domain. Objects that use an address in it would silently become external (a
     * mailbox outside the company, a forward that suddenly leaves it), so any such object makes
     * the removal fail with 409 listing them; change or delete them first.
     */
    @Transactional
    public void remove(Actor actor, String rawDomain) {
        String domain = normalise(rawDomain);
        lockState();
        if (!exists(domain)) {
            throw ApiException.notFound("Company domain " + domain);
        }
        // Approvals hold the directory head while they write; holding it too means no object in
        // this domain can be approved between the check below and the commit.
        long revision = directory.lockHead();
        cache.refreshTo(revision);
        List<Usage> users = cache.read(view -> {
            List<Usage> found = new ArrayList<>();
            for (ObjectKind kind : ObjectKind.values()) {
                for (DirectoryEntry e : view.all(kind)) {
                    if (DomainUse.addressesOf(e.spec()).stream().anyMatch(a -> domain.equals(MailAddresses.domainOf(a)))) {
                        found.add(new Usage(kind, e.spec().key(), e.department()));
                    }
                }
            }
            return found;
        });
        if (!users.isEmpty()) {
            throw stranded(domain, users, "is used by " + users.size()
                    + " directory object(s); change or delete them first, then remove the domain");
        }
        Map<String, Object> before = views().stream().filter(v -> v.domain().equals(domain)).findFirst()
                .<Map<String, Object>>map(v -> Map.of("domain", v.domain(), "source", v.source())).orElse(null);
        em.createNativeQuery("DELETE FROM company_domain WHERE domain = :d").setParameter("d", domain).executeUpdate();
        bumpVersion();
        audit.record(actor, "domain.removed", "DOMAIN", domain, before, null);
    }

    /** First start only: the configured {@code mailgov.internal-domains} become the initial data. */
    @Transactional
    void seed(@Observes StartupEvent event) {
        Object seeded = em.createNativeQuery("SELECT seeded FROM company_domain_state WHERE id = 1 FOR UPDATE").getSingleResult();
        if (Boolean.TRUE.equals(seeded)) {
            return;
        }
        for (String raw : config.internalDomains().orElse(java.util.Set.of())) {
            if (raw.isBlank()) {
                continue;
            }
            String domain = normalise(raw.trim());
            if (!exists(domain)) {
                insert(Actor.system(), domain, "SEED");
            }
        }
        em.createNativeQuery("UPDATE company_domain_state SET seeded = true WHERE id = 1").executeUpdate();
    }

    private DomainView insert(Actor actor, String domain, String source) {
        cache.refreshTo(directory.currentRevision());
        List<Usage> subscriptions = cache.read(view -> view.all(ObjectKind.EXTERNAL_SUBSCRIPTION).stream()
                .filter(e -> domain.equals(MailAddresses.domainOf(((ExternalSubscriptionSpec) e.spec()).listAddress())))
                .map(e -> new Usage(ObjectKind.EXTERNAL_SUBSCRIPTION, e.spec().key(), e.department()))
                .toList());
        if (!subscriptions.isEmpty()) {
            throw stranded(domain, subscriptions, "would make " + subscriptions.size()
                    + " external list subscription(s) point inside the company; delete them (or register the lists as MAILING_LIST) first");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        em.createNativeQuery("INSERT INTO company_domain (domain, source, created_by, created_at) VALUES (:d, :s, :u, :t)")
                .setParameter("d", domain).setParameter("s", source).setParameter("u", actor.username())
                .setParameter("t", now).executeUpdate();
        bumpVersion();
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("domain", domain);
        after.put("source", source);
        audit.record(actor, "domain.added", "DOMAIN", domain, null, after);
        return new DomainView(domain, source, false, actor.username(), now.atOffset(java.time.ZoneOffset.UTC));
    }

    private static ApiException stranded(String domain, List<Usage> users, String what) {
        return new ApiException(ProblemType.CONFLICT, "Company domain " + domain + " " + what,
                List.of(new com.mailgov.web.Problem.FieldError("domain", what)),
                Map.of("objects", users.subList(0, Math.min(MAX_LISTED, users.size())), "objectCount", users.size()));
    }

    /** A domain as stored: lower case ASCII (IDN converted), checked like an address's domain. */
    static String normalise(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.invalid("domain", "is required");
        }
        String trimmed = raw.trim();
        if (trimmed.indexOf('@') >= 0) {
            throw ApiException.invalid("domain", "must be a domain, not an address (e.g. corp.example)");
        }
        MailAddresses.Result result = MailAddresses.normalise("postmaster@" + trimmed);
        if (!result.ok()) {
            throw ApiException.invalid("domain", result.error().replace("domain ", ""));
        }
        return MailAddresses.domainOf(result.address());
    }

    private void lockState() {
        em.createNativeQuery("SELECT version FROM company_domain_state WHERE id = 1 FOR UPDATE").getSingleResult();
    }

    private boolean exists(String domain) {
        return !em.createNativeQuery("SELECT 1 FROM company_domain WHERE domain = :d").setParameter("d", domain)
                .getResultList().isEmpty();
    }

    private void bumpVersion() {
        em.createNativeQuery("UPDATE company_domain_state SET version = version + 1 WHERE id = 1").executeUpdate();
        if (Arc.container().requestContext().isActive()) {
            Arc.container().instance(RequestMemo.class).get().set(null);
        }
    }

    /** Reads the version; reloads the domains only when it moved. */
    private Snapshot fresh() {
        try (Connection c = dataSource.getConnection()) {
            long version;
            try (PreparedStatement ps = c.prepareStatement("SELECT version FROM company_domain_state WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getLong(1);
            }
            Snapshot known = cached;
            if (known.version() == version) {
                return known;
            }
            // Read version and rows together, so a change committed in between cannot be half seen.
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT s.version, d.domain, d.directory_complete FROM company_domain_state s
                    LEFT JOIN company_domain d ON true WHERE s.id = 1 ORDER BY d.domain""");
                 ResultSet rs = ps.executeQuery()) {
                List<String> domains = new ArrayList<>();
                java.util.Set<String> complete = new java.util.HashSet<>();
                long v = version;
                while (rs.next()) {
                    v = rs.getLong(1);
                    String d = rs.getString(2);
                    if (d != null) {
                        domains.add(d);
                        if (rs.getBoolean(3)) {
                            complete.add(d);
                        }
                    }
                }
                Snapshot loaded = new Snapshot(v, List.copyOf(domains), java.util.Set.copyOf(complete));
                cached = loaded;
                return loaded;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the company domains", e);
        }
    }

    private static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof Instant i) {
            return i.atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        return null;
    }
}
