package com.mailgov.ui;

import com.mailgov.security.LocalAccounts;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;

/**
 * Logging in and out, and the viewer's language. The login form posts to Quarkus form
 * authentication ({@code /j_security_check}), which checks local accounts.
 */
@Path("/")
public class SessionPages {

    @Inject
    UiContext ui;

    @Inject
    LocalAccounts sessions;

    @ConfigProperty(name = "quarkus.http.auth.form.cookie-name")
    String sessionCookie;

    @GET
    @Path("login")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public Response login(@QueryParam("error") String error, @QueryParam("loggedOut") String loggedOut) {
        if (ui.oidc()) {
            // With Keycloak the pages themselves start the authorization code flow.
            return UiResponses.seeOther("/");
        }
        return UiResponses.page(Pages.login(ui, error != null, loggedOut != null), ui);
    }

    /**
     * Ends the session: the account's session epoch is raised, so this cookie and every copy of it
     * (and the account's sessions in other browsers) are refused from now on, and the browser drops
     * the cookie. With OIDC, Quarkus' logout path takes over.
     */
    @POST
    @Path("logout")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout() {
        if (ui.loggedIn() && !ui.oidc()) {
            sessions.endSessions(ui.username());
        }
        NewCookie expired = new NewCookie.Builder(sessionCookie).value("").path("/").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
        return Response.seeOther(URI.create("/login?loggedOut=true")).cookie(expired).build();
    }

    /** Switches the language and returns to the page the link was on (local paths only). */
    @GET
    @Path("lang")
    @PermitAll
    public Response lang(@QueryParam("to") String to, @QueryParam("back") String back) {
        String lang = UiContext.LANGUAGES.contains(to) ? to : "en";
        String target = back != null && back.startsWith("/") && !back.startsWith("//") && !back.contains("\\") ? back : "/";
        NewCookie chosen = new NewCookie.Builder(UiContext.LANG_COOKIE).value(lang).path("/")
                .maxAge((int) Duration.ofDays(365).toSeconds()).sameSite(NewCookie.SameSite.LAX).build();
        URI location;
        try {
            location = URI.create(target);
        } catch (IllegalArgumentException e) {
            location = URI.create("/");
        }
        return Response.seeOther(location).cookie(chosen).build();
    }
}
