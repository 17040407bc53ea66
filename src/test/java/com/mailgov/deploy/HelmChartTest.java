package com.mailgov.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart lints and renders (helm-java, no helm binary) with default and production values. */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "mailgov");

    @Test
    void chartLints() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @Test
    void defaultValuesRenderAHardenedDeploymentOnAnExternalDatabase() {
        String out = new Helm(CHART).template().withName("mg").call();
        assertTrue(out.contains("kind: Deployment"));
        assertTrue(out.contains("runAsNonRoot: true"));
        assertTrue(out.contains("readOnlyRootFilesystem: true"));
        assertTrue(out.contains("allowPrivilegeEscalation: false"));
        assertTrue(out.contains("path: /q/health/live") && out.contains("path: /q/health/ready"));
        assertTrue(out.contains("QUARKUS_DATASOURCE_JDBC_URL: \"jdbc:postgresql://"));
        assertTrue(out.contains("secretKeyRef:") && out.contains("name: mailgov-db"));
        assertTrue(out.contains("kind: HorizontalPodAutoscaler") && out.contains("kind: PodDisruptionBudget"));
        assertFalse(out.contains("kind: Ingress"));
        assertFalse(out.contains("QUARKUS_OIDC_TENANT_ENABLED"));
        // the first admin's password comes from a Secret, so no generated password is printed to the pod log
        assertTrue(out.contains("name: MAILGOV_ADMIN_PASSWORD") && out.contains("name: mailgov-admin"));
    }

    @Test
    void theChartNeverLetsThePodGenerateAndLogTheAdminPassword() {
        assertThrows(IllegalStateException.class, () -> new Helm(CHART).template().withName("mg")
                .set("mailgov.adminPasswordSecret", "").call());
    }

    @Test
    void productionValuesAddIngressOidcAndTheAdminSecret() {
        String out = new Helm(CHART).template().withName("mg")
                .withValuesFile(CHART.resolve("ci/production-values.yaml")).call();
        assertTrue(out.contains("kind: Ingress") && out.contains("host: \"mailgov.corp.example\""));
        assertTrue(out.contains("secretName: mailgov-tls"));
        assertTrue(out.contains("QUARKUS_OIDC_AUTH_SERVER_URL: \"https://sso.corp.example/realms/mailgov\""));
        assertTrue(out.contains("name: MAILGOV_ADMIN_PASSWORD") && out.contains("name: mailgov-admin"));
        assertTrue(out.contains("minReplicas: 3"));
        // mail-server credentials come from a Secret as env vars; pods push to servers, never to files
        assertTrue(out.contains("secretRef:") && out.contains("name: mailgov-mail-servers"));
        // ... under the one prefix a credentialRef may name (docs/security.md)
        assertTrue(out.contains("prefix: MAILGOV_SECRET_"), "the credentials Secret is mounted with the allowed prefix");
        assertTrue(out.contains("mountPath: /etc/mailgov/ca") && out.contains("name: corp-ca"), "the CA ConfigMap is mounted");
        assertTrue(out.contains("MAILGOV_PUSH_DEFAULT_FILE_SERVER: \"false\""));
        // replicas share the UI session key; the pages log in through Keycloak
        assertTrue(out.contains("name: QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY") && out.contains("name: mailgov-ui-session"));
        assertTrue(out.contains("MAILGOV_UI_AUTH_MECHANISM: \"code\""));
        // behind the ingress the audit records the client the ingress forwards for, and only from it
        assertTrue(out.contains("MAILGOV_HTTP_TRUSTED_PROXIES: \"10.42.0.0/16\""));
    }

    @Test
    void theLoopGuardPortIsOnTheServiceOnlyWhenEnabled() {
        assertFalse(new Helm(CHART).template().withName("mg").call().contains("name: guard"));
        String out = new Helm(CHART).template().withName("mg").set("guard.enabled", "true").set("guard.port", "10041").call();
        assertTrue(out.contains("- name: guard\n      port: 10041\n      targetPort: guard"), out);
        assertTrue(out.contains("containerPort: 10041"));
        assertTrue(out.contains("MAILGOV_GUARD_ENABLED: \"true\"") && out.contains("MAILGOV_GUARD_HOST: \"0.0.0.0\""));
    }

    @Test
    void migrationsRunAsTheOwnerRoleAndTheServiceAsTheAppRoleWithASharedAuditSigningKey() {
        String out = new Helm(CHART).template().withName("mg").call();
        // two credentials: the app role for the service, the owner for Flyway
        assertTrue(out.contains("name: QUARKUS_DATASOURCE_USERNAME") && out.contains("name: mailgov-db\n"), out);
        assertTrue(out.contains("name: QUARKUS_FLYWAY_USERNAME") && out.contains("name: QUARKUS_FLYWAY_PASSWORD")
                && out.contains("name: mailgov-db-owner"));
        // every replica signs audit checkpoints with the key from one Secret
        assertTrue(out.contains("name: MAILGOV_AUDIT_SIGNING_KEY") && out.contains("name: mailgov-audit-signing"));
        assertTrue(out.contains("MAILGOV_AUDIT_CHECKPOINT_INTERVAL: \"PT5M\""));
        assertThrows(IllegalStateException.class, () -> new Helm(CHART).template().withName("mg")
                .set("database.migrationSecret", "").call(), "no silent fallback to one role for both");
        assertThrows(IllegalStateException.class, () -> new Helm(CHART).template().withName("mg")
                .set("mailgov.auditSigningKeySecret", "").call(), "no key generated inside a pod");
    }

    @Test
    void theChartNeverRunsWithoutAnExternalDatabase() {
        assertThrows(IllegalStateException.class, () -> new Helm(CHART).template().withName("mg")
                .set("database.jdbcUrl", "").call());
    }
}
