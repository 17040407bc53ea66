package com.mailgov.peoplesync;

import com.fasterxml.jackson.core.type.TypeReference;
import com.mailgov.audit.AuditLog;
import com.mailgov.json.Json;
import com.mailgov.directory.DepartmentService;
import com.mailgov.peoplesync.DirectorySourceDtos.AttributeMapping;
import com.mailgov.peoplesync.DirectorySourceDtos.SyncRunSummary;
import com.mailgov.peoplesync.DirectorySourceDtos.DirectorySourceRequest;
import com.mailgov.peoplesync.DirectorySourceDtos.DirectorySourceView;
import com.mailgov.push.server.CredentialAllowList;
import com.mailgov.security.Actor;
import com.mailgov.web.ApiException;
import com.mailgov.web.FieldErrors;
import com.mailgov.web.Problem;
import com.mailgov.web.ProblemType;
import com.mailgov.web.Texts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Directory sources: register, change, remove (admins; audited). A source is checked when it is
 * saved — the URL's TLS (ldaps://, or ldap:// with StartTLS; plain LDAP only to loopback), the
 * bind password reference against the mail servers' allow-list, DNs, the filter, attribute names,
 * and that every mapped department exists.
 */
@ApplicationScoped
@Transactional
public class DirectorySourceService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,63}|\\d+(\\.\\d+)+");
    /** Loopback written as such: no name is looked up to decide. */
    private static final Pattern LOOPBACK = Pattern.compile("localhost|127(\\.\\d{1,3}){3}|\\[::1]");
    private static final Duration MIN_INTERVAL = Duration.ofMinutes(5);
    static final String DEFAULT_FILTER = "(objectClass=inetOrgPerson)";

    @Inject
    Json json;

    @Inject
    AuditLog audit;

    @Inject
    DepartmentService departments;

    @Inject
    CredentialAllowList credentials;

    public DirectorySourceView create(Actor actor, DirectorySourceRequest body) {
        Valid v = validate(body);
        if (DirectorySource.count("name", v.name) > 0) {
            throw new ApiException(ProblemType.CONFLICT, "A directory source named " + v.name + " exists",
                    List.of(new Problem.FieldError("name", "already exists")), Map.of());
        }
        DirectorySource s = new DirectorySource();
        s.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        apply(s, v);
        s.persist();
        audit.record(actor, "directory_source.created", "DIRECTORY_SOURCE", s.id.toString(), null, auditView(s));
        return view(s);
    }

    public DirectorySourceView update(Actor actor, long id, DirectorySourceRequest body) {
        DirectorySource s = find(id);
        Valid v = validate(body);
        if (!v.name.equals(s.name) && DirectorySource.count("name", v.name) > 0) {
            throw new ApiException(ProblemType.CONFLICT, "A directory source named " + v.name + " exists",
                    List.of(new Problem.FieldError("name", "already exists")), Map.of());
        }
        Map<String, Object> before = auditView(s);
        if (!v.url.equals(s.url) || !v.baseDn.equals(s.baseDn) || !v.filter.equals(s.filter)) {
            // Another directory or another part of it: the people seen so far are not "gone" from it.
            DirectorySource.getEntityManager().createNativeQuery("DELETE FROM directory_source_person WHERE source_id = :id")
                    .setParameter("id", id).executeUpdate();
        }
        apply(s, v);
        audit.record(actor, "directory_source.updated", "DIRECTORY_SOURCE", s.id.toString(), before, auditView(s));
        return view(s);
    }

    public void delete(Actor actor, long id) {
        DirectorySource s = find(id);
        Map<String, Object> before = auditView(s);
        s.delete();
        audit.record(actor, "directory_source.deleted", "DIRECTORY_SOURCE", String.valueOf(id), before, null);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DirectorySourceView> list() {
        return DirectorySource.<DirectorySource>find("ORDER BY name").stream().map(this::view).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public DirectorySourceView get(long id) {
        return view(find(id));
    }

    static DirectorySource find(long id) {
        DirectorySource s = DirectorySource.findById(id);
        if (s == null) {
            throw ApiException.notFound("Directory source " + id);
        }
        return s;
    }

    AttributeMapping attributes(DirectorySource s) {
        return json.read(s.attributes, new TypeReference<>() { });
    }

    Map<String, String> departments(DirectorySource s) {
        return json.read(s.departments, new TypeReference<>() { });
    }

    private record Valid(String name, String url, boolean startTls, String caCertificate, String bindDn, String credentialRef, String baseDn,
                         String filter, AttributeMapping attributes, Map<String, String> departments, Integer intervalSeconds,
                         boolean enabled) {
    }

    private Valid validate(DirectorySourceRequest body) {
        if (body == null) {
            throw ApiException.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        String name = Texts.singleLine(body.name(), "name", 64, true, errors);
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add("name", "must be 1–64 of A-Z a-z 0-9 . _ -");
        }
        String url = Texts.singleLine(body.url(), "url", 500, true, errors);
        boolean startTls = body.startTls() == null || body.startTls();
        if (url != null) {
            checkUrl(url, body.startTls(), errors);
            startTls = url.toLowerCase().startsWith("ldap://") && startTls;
        }
        String ca = body.caCertificate() == null || body.caCertificate().isBlank() ? null : body.caCertificate().strip();
        if (ca != null) {
            try {
                SourceTrust.trusting(ca);
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                errors.add("caCertificate", "must be 1–10 PEM certificates (-----BEGIN CERTIFICATE-----)");
            }
            if (url != null && url.toLowerCase().startsWith("ldap://") && Boolean.FALSE.equals(body.startTls())) {
                errors.add("caCertificate", "is for TLS: use ldaps:// or StartTLS");
            }
        }
        String bindDn = dn(body.bindDn(), "bindDn", false, errors);
        String ref = Texts.singleLine(body.credentialRef(), "credentialRef", 300, false, errors);
        if (bindDn != null && ref == null) {
            errors.add("credentialRef", "is required with a bindDn (the bind password, by reference)");
        } else if (bindDn == null && ref != null) {
            errors.add("bindDn", "is required with a credentialRef");
        } else if (ref != null) {
            String problem = credentials.problem(ref);
            if (problem != null) {
                errors.add("credentialRef", problem);
            }
        }
        String baseDn = dn(body.baseDn(), "baseDn", true, errors);
        String filter = body.filter() == null ? DEFAULT_FILTER : Texts.singleLine(body.filter(), "filter", 1000, true, errors);
        if (filter != null && !balancedFilter(filter)) {
            errors.add("filter", "must be an LDAP filter in parentheses, e.g. (objectClass=inetOrgPerson)");
        }
        AttributeMapping a = attributes(body.attributes(), errors);
        Map<String, String> mapping = new TreeMap<>();
        if (body.departments() == null || body.departments().isEmpty()) {
            errors.add("departments", "must map at least one directory department value to a department code");
        } else {
            body.departments().forEach((value, code) -> {
                String key = value == null ? null : value.strip();
                if (key == null || key.isEmpty() || key.length() > 200 || key.chars().anyMatch(Character::isISOControl)) {
                    errors.add("departments", "directory values are 1–200 characters of text");
                } else if (code == null || departments.find(code).isEmpty()) {
                    errors.add("departments." + key, "no department " + code);
                } else {
                    mapping.put(key, code);
                }
            });
        }
        Integer interval = null;
        if (body.syncInterval() != null) {
            try {
                Duration d = Duration.parse(body.syncInterval().trim());
                if (d.compareTo(MIN_INTERVAL) < 0 || d.compareTo(Duration.ofDays(7)) > 0) {
                    errors.add("syncInterval", "must be between PT5M and P7D");
                } else {
                    interval = (int) d.toSeconds();
                }
            } catch (DateTimeParseException e) {
                errors.add("syncInterval", "must be an ISO-8601 duration such as PT1H");
            }
        }
        errors.throwIfAny();
        return new Valid(name, url, startTls, ca, bindDn, ref, baseDn, filter, a, mapping, interval,
                body.enabled() == null || body.enabled());
    }

    /** ldaps://host[:port] or ldap://host[:port]; no path, no credentials; plain text only to loopback. */
    private static void checkUrl(String url, Boolean startTls, FieldErrors errors) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            errors.add("url", "is not a URL");
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("ldap") && !scheme.equals("ldaps") || uri.getHost() == null || uri.getUserInfo() != null
                || uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/") || uri.getRawQuery() != null) {
            errors.add("url", "must be ldaps://host[:port] or ldap://host[:port] (with a host name: no DNS SRV lookups; no path)");
            return;
        }
        if (scheme.equals("ldaps") && Boolean.TRUE.equals(startTls)) {
            errors.add("startTls", "is for ldap:// URLs; ldaps:// is TLS from the start");
        }
        if (scheme.equals("ldap") && Boolean.FALSE.equals(startTls) && !LOOPBACK.matcher(uri.getHost()).matches()) {
            errors.add("startTls", "plain LDAP sends the bind password in clear: only to loopback; use ldaps:// or StartTLS");
        }
    }

    private static String dn(String raw, String field, boolean required, FieldErrors errors) {
        String dn = Texts.singleLine(raw, field, 500, required, errors);
        if (dn != null) {
            try {
                new LdapName(dn);
            } catch (InvalidNameException | IllegalArgumentException e) {
                errors.add(field, "is not a distinguished name (cn=…,dc=…)");
            }
        }
        return dn;
    }

    private static boolean balancedFilter(String filter) {
        if (!filter.startsWith("(") || !filter.endsWith(")")) {
            return false;
        }
        int depth = 0;
        for (int i = 0; i < filter.length(); i++) {
            char c = filter.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0 || depth == 0 && i < filter.length() - 1) {
                return false;
            }
        }
        return depth == 0;
    }

    private static AttributeMapping attributes(AttributeMapping given, FieldErrors errors) {
        AttributeMapping d = AttributeMapping.DEFAULTS;
        AttributeMapping a = given == null ? d : new AttributeMapping(or(given.mail(), d.mail()), or(given.displayName(), d.displayName()),
                or(given.department(), d.department()), given.aliases() == null ? d.aliases() : given.aliases(), given.leavingDate());
        List<String> names = new ArrayList<>(List.of(a.mail(), a.displayName(), a.department()));
        if (a.leavingDate() != null) {
            names.add(a.leavingDate());
        }
        if (a.aliases().size() > 5) {
            errors.add("attributes.aliases", "at most 5 attributes");
        }
        names.addAll(a.aliases());
        for (String n : names) {
            if (n == null || !ATTRIBUTE.matcher(n).matches()) {
                errors.add("attributes", "attribute names are letters, digits and '-' (or an OID): " + n);
            }
        }
        return a;
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private void apply(DirectorySource s, Valid v) {
        s.name = v.name;
        s.url = v.url;
        s.startTls = v.startTls;
        s.caCertificate = v.caCertificate;
        s.bindDn = v.bindDn;
        s.credentialRef = v.credentialRef;
        s.baseDn = v.baseDn;
        s.filter = v.filter;
        s.attributes = json.write(v.attributes);
        s.departments = json.write(v.departments);
        s.syncIntervalSeconds = v.intervalSeconds;
        s.enabled = v.enabled;
        s.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    DirectorySourceView view(DirectorySource s) {
        SyncRunSummary last = SyncRun.<SyncRun>find("sourceId = ?1 ORDER BY startedAt DESC", s.id).firstResultOptional()
                .map(r -> new SyncRunSummary(r.id, r.status, r.startedAt, r.finishedAt, r.entries)).orElse(null);
        return new DirectorySourceView(s.id, s.name, s.url, s.startTls, s.caCertificate, s.bindDn, s.credentialRef, s.baseDn, s.filter, attributes(s),
                departments(s), s.syncIntervalSeconds == null ? null : Duration.ofSeconds(s.syncIntervalSeconds).toString(),
                s.enabled, s.createdAt, s.updatedAt, last);
    }

    private Map<String, Object> auditView(DirectorySource s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name);
        m.put("url", s.url);
        m.put("startTls", s.startTls);
        m.put("caCertificate", s.caCertificate == null ? null : "(PEM, " + s.caCertificate.length() + " characters)");
        m.put("bindDn", s.bindDn);
        m.put("credentialRef", s.credentialRef);
        m.put("baseDn", s.baseDn);
        m.put("filter", s.filter);
        m.put("attributes", attributes(s));
        m.put("departments", departments(s));
        m.put("syncIntervalSeconds", s.syncIntervalSeconds);
        m.put("enabled", s.enabled);
        return m;
    }


}
