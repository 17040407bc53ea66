package com.mailgov.ui;

import com.mailgov.config.MailgovConfig;
import com.mailgov.security.Actor;
import com.mailgov.security.CurrentActor;
import com.mailgov.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What every page needs to know about the viewer: who they are, their language (cookie, else the
 * browser's Accept-Language) and their time zone (a cookie set by ui.js, else UTC).
 */
@RequestScoped
public class UiContext {

    static final String LANG_COOKIE = "mailgov-lang";
    static final String ZONE_COOKIE = "mailgov-tz";
    static final List<String> LANGUAGES = List.of("en", "ja");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Inject
    HttpServerRequest request;

    @Inject
    SecurityIdentity identity;

    @Inject
    CurrentActor currentActor;

    @Inject
    MailgovConfig config;

    @Inject
    com.mailgov.guard.incident.OpenIncidents openLoops;

    private Locale locale;
    private ZoneId zone;

    public Actor actor() {
        return currentActor.get();
    }

    public boolean loggedIn() {
        return !identity.isAnonymous();
    }

    public String username() {
        return identity.isAnonymous() ? "" : com.mailgov.security.SessionPrincipal.username(identity);
    }

    public String department() {
        Object d = identity.getAttribute(CurrentActor.DEPARTMENT_ATTRIBUTE);
        return d == null ? "" : d.toString();
    }

    public boolean has(String role) {
        return identity.hasRole(role);
    }

    /** Has a role of the Systems Dept. or a department's IT (not only an employee's own autoreply). */
    public boolean isStaff() {
        return has(Roles.REQUESTER) || has(Roles.APPROVER) || has(Roles.ADMIN) || has(Roles.AUDITOR);
    }

    /** May manage their own mailbox's autoreply. */
    public boolean isSelf() {
        return has(Roles.SELF);
    }

    public boolean isApprover() {
        return has(Roles.APPROVER);
    }

    public boolean isAdmin() {
        return has(Roles.ADMIN);
    }

    /** Open loop incidents, for the banner on every page (people who can act on or read them). */
    public List<Long> openLoopIncidents() {
        return isApprover() || isAdmin() || canAudit() ? openLoops.ids() : List.of();
    }

    public boolean canAudit() {
        return has(Roles.AUDITOR) || has(Roles.ADMIN);
    }

    /** Restoring a revision creates change requests, so approvers and admins may start it. */
    public boolean canRestore() {
        return has(Roles.APPROVER) || has(Roles.ADMIN);
    }

    public boolean canSubmit() {
        return has(Roles.REQUESTER) || has(Roles.APPROVER);
    }

    /** Requesters see only their own department; the department filter is then fixed. */
    public boolean limitedToOwnDepartment() {
        return actor().limitedToOwnDepartment();
    }

    public boolean oidc() {
        return "code".equals(config.ui().authMechanism());
    }

    public Locale locale() {
        if (locale == null) {
            locale = Locale.forLanguageTag(lang());
        }
        return locale;
    }

    /** "en" or "ja": the cookie if set, else the first supported language the browser asks for. */
    public String lang() {
        Cookie chosen = request.getCookie(LANG_COOKIE);
        if (chosen != null && LANGUAGES.contains(chosen.getValue())) {
            return chosen.getValue();
        }
        String header = request.getHeader("Accept-Language");
        if (header != null) {
            try {
                for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                    String primary = range.getRange().split("-")[0].toLowerCase(Locale.ROOT);
                    if (LANGUAGES.contains(primary) && range.getWeight() > 0) {
                        return primary;
                    }
                }
            } catch (IllegalArgumentException ignored) {
                // A malformed header falls back to English.
            }
        }
        return "en";
    }

    public String otherLang() {
        return "ja".equals(lang()) ? "en" : "ja";
    }

    public ZoneId zone() {
        if (zone == null) {
            zone = ZoneOffset.UTC;
            Cookie tz = request.getCookie(ZONE_COOKIE);
            if (tz != null && tz.getValue().length() <= 64) {
                try {
                    zone = ZoneId.of(java.net.URLDecoder.decode(tz.getValue(), java.nio.charset.StandardCharsets.UTF_8));
                } catch (DateTimeException | IllegalArgumentException ignored) {
                    // An unknown zone name falls back to UTC.
                }
            }
        }
        return zone;
    }

    /** A time as the viewer reads it, e.g. "2026-11-27 18:05:00". */
    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant.atZone(zone()));
    }

    /** The machine-readable form for {@code <time datetime>}. */
    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    public String zoneName() {
        return zone().getId();
    }

    /** The path and query of this request, for "back to where I was" after switching the language. */
    public String here() {
        String uri = request.uri();
        return uri == null || !uri.startsWith("/") || uri.startsWith("//") ? "/" : uri;
    }
}
