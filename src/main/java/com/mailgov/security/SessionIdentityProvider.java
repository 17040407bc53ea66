package com.mailgov.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The identity behind a UI session: form authentication checked the password once and keeps only
 * the principal's name — username and session epoch — in its encrypted cookie. The account is read
 * again on each request, so a changed role or a disabled account takes effect at once instead of
 * when the session ends, and a cookie from an older epoch (the user logged out, got a new password
 * or was disabled since) is refused even when someone copied it.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    @Inject
    LocalAccounts accounts;

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            SessionPrincipal session = SessionPrincipal.parse(request.getPrincipal())
                    .orElseThrow(AuthenticationFailedException::new);
            return accounts.find(session.username())
                    .filter(account -> account.sessionEpoch() == session.epoch())
                    .orElseThrow(AuthenticationFailedException::new)
                    .sessionIdentity();
        });
    }
}
