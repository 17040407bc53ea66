package com.mailgov.security;

import com.mailgov.config.MailgovConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic for local accounts. A verified password is remembered for a short while as a salted
 * digest, so that an API client does not pay a bcrypt verification (~50 ms) on every call; the
 * account itself is read on every call.
 */
@ApplicationScoped
public class LocalIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    /** Compared against when the user does not exist, so timing does not tell which usernames do. */
    private static final class Dummy {
        // made when first needed (a bcrypt hash costs as much as a check): not on every start
        static final String HASH = BcryptUtil.bcryptHash("not-a-real-password");
    }

    private final byte[] salt = new byte[32];
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    @Inject
    LocalAccounts accounts;

    @Inject
    MailgovConfig config;

    @ConfigProperty(name = "quarkus.http.auth.form.post-location", defaultValue = "/j_security_check")
    String formPostLocation;

    public LocalIdentityProvider() {
        new SecureRandom().nextBytes(salt);
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        String username = request.getUsername();
        String password = new String(request.getPassword().getPassword());
        byte[] digest = digest(username, password);
        Verified hit = verified.get(username);
        boolean remembered = hit != null && hit.expiresAt > System.nanoTime() && MessageDigest.isEqual(hit.digest, digest);
        boolean formLogin = isFormLogin(request);
        return context.runBlocking(() -> {
            // the account is read on every request (one indexed row): a disabled account, a new role or a new
            // password set on any replica counts at once; only the bcrypt check is skipped for a remembered password
            Optional<LocalAccounts.Account> account = accounts.find(username);
            if (remembered && account.isPresent() && account.get().passwordHash().equals(hit.passwordHash)) {
                return identity(account.get(), formLogin);
            }
            String hash = account.isPresent() ? account.get().passwordHash() : Dummy.HASH;
            if (!BcryptUtil.matches(password, hash) || account.isEmpty()) {
                throw new AuthenticationFailedException();
            }
            long ttl = config.auth().credentialCache().toNanos();
            if (ttl > 0) {
                verified.put(username, new Verified(digest, hash, System.nanoTime() + ttl));
            }
            return identity(account.get(), formLogin);
        });
    }

    /** A form login starts a UI session, whose cookie must carry the account's session epoch. */
    private static SecurityIdentity identity(LocalAccounts.Account account, boolean formLogin) {
        return formLogin ? account.sessionIdentity() : account.identity();
    }

    private boolean isFormLogin(UsernamePasswordAuthenticationRequest request) {
        RoutingContext ctx = HttpSecurityUtils.getRoutingContextAttribute(request);
        return ctx != null && formPostLocation.equals(ctx.normalizedPath());
    }

    private byte[] digest(String username, String password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(username.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(password.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Verified(byte[] digest, String passwordHash, long expiresAt) {
    }
}
