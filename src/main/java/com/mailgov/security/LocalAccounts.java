package com.mailgov.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/**
 * Reads local accounts for authentication (outside any request's transaction). This runs on every
 * request, so it is one indexed SELECT on a pooled connection in auto-commit, without a JTA
 * transaction or a persistence context to open, flush and close.
 */
@ApplicationScoped
public class LocalAccounts {

    private static final String FIND = "SELECT username, password_hash, roles, department_code, email, session_epoch"
            + " FROM local_user WHERE username = ? AND disabled_at IS NULL";
    private static final String END_SESSIONS = "UPDATE local_user SET session_epoch = session_epoch + 1 WHERE username = ?";

    @Inject
    DataSource dataSource;

    /** The account if it may log in: a disabled account is treated as not there. */
    public Optional<Account> find(String username) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(FIND)) {
            s.setString(1, username);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Account(r.getString(1), r.getString(2), LocalUser.roleSet(r.getString(3)),
                        r.getString(4), r.getString(5), r.getInt(6)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read local account " + username, e);
        }
    }

    /** Ends every UI session of the account: cookies issued before (and copies of them) are refused from now on. */
    public void endSessions(String username) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(END_SESSIONS)) {
            s.setString(1, username);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot end the sessions of " + username, e);
        }
    }

    public record Account(String username, String passwordHash, Set<String> roles, String department, String email,
                          int sessionEpoch) {

        /** Who the account is for a request: its roles and, for requesters, its department. */
        public SecurityIdentity identity() {
            return identity(username, null);
        }

        /** The identity of a UI session: its name carries the session epoch into the cookie (see SessionPrincipal). */
        public SecurityIdentity sessionIdentity() {
            SessionPrincipal session = new SessionPrincipal(username, sessionEpoch);
            return identity(session.cookieName(), session);
        }

        private SecurityIdentity identity(String principal, SessionPrincipal session) {
            QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(principal))
                    .addRoles(roles);
            if (session != null) {
                builder.addAttribute(SessionPrincipal.ATTRIBUTE, session);
            }
            if (department != null) {
                builder.addAttribute(CurrentActor.DEPARTMENT_ATTRIBUTE, department);
            }
            if (email != null) {
                // An account with a mail address of its own is an employee: it may manage its own autoreply.
                builder.addAttribute(CurrentActor.EMAIL_ATTRIBUTE, email).addRole(Roles.SELF);
            }
            return builder.build();
        }
    }
}
