package com.mailgov.ui;

import com.mailgov.testsupport.Api;
import com.mailgov.testsupport.KeycloakTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * With Keycloak, the pages log in through the OIDC authorization code flow (public client with
 * PKCE) against a real Keycloak; roles and department come from the tokens as for the API.
 */
@QuarkusTest
@TestProfile(KeycloakUiLoginTest.CodeFlow.class)
class KeycloakUiLoginTest {

    public static class CodeFlow implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KeycloakTestResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mailgov.ui.auth-mechanism", "code",
                    // A public client has no secret to derive these from.
                    "quarkus.oidc.authentication.state-secret", "test-state-secret-of-at-least-32-characters",
                    "quarkus.oidc.token-state-manager.encryption-secret", "test-token-secret-of-at-least-32-characters");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void aKeycloakUserLogsInToThePagesWithTheCodeFlow() {
        assumeTrue(Browser.available(), "Chromium and chromedriver are needed");
        for (String[] d : new String[][]{{"SALES1", "営業一部"}, {"SYS", "システム部"}}) {
            int status = Api.admin().body(Map.of("code", d[0], "name", d[1])).post("/api/v1/departments").statusCode();
            assertTrue(status == 201 || status == 409);
        }
        try (Browser browser = new Browser(base)) {
            browser.open("/");
            // Keycloak's own login form.
            browser.waitUntil(d -> d.getCurrentUrl().contains("/realms/" + KeycloakTestResource.REALM + "/"));
            browser.type("username", "takahashi");
            browser.type("password", "Takahashi-pass-1");
            browser.find("kc-login").click();
            browser.waitUntil(d -> d.getCurrentUrl().startsWith(base.toString()));
            String who = browser.css(".who .user").getText();
            assertTrue(who.contains("takahashi") && who.contains("SALES1"), who);
            assertTrue(browser.all("a[href='/submit']").size() == 1, "a requester is offered the submit form");
            browser.screenshot("keycloak-login-queue");

            // Logout ends the local session and Keycloak's (RP-initiated logout): the next visit asks again.
            browser.css("form[action='/logout'] button").click();
            browser.driver.manage().deleteAllCookies();
            browser.open("/");
            browser.waitUntil(d -> d.getCurrentUrl().contains("/realms/" + KeycloakTestResource.REALM + "/"));
            assertTrue(browser.find("username").isDisplayed());
        }
    }
}
