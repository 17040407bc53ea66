package com.mailgov.config;

import com.mailgov.outbox.QueueSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Typed configuration of mailgov (prefix {@code mailgov}); every key has an env var (MAILGOV_…). */
@ConfigMapping(prefix = "mailgov")
public interface MailgovConfig {

    /** Folder for the embedded PostgreSQL and generated mail configuration. */
    @WithName("data-dir")
    @WithDefault("data")
    String dataDir();

    /**
     * Optional seed of the company's mail domains, used only on the very first start (empty
     * table); afterwards the domains are data managed at /api/v1/domains (see docs/domains-and-bulk.md).
     */
    @WithName("internal-domains")
    Optional<Set<String>> internalDomains();

    /**
     * The company's time zone (e.g. Asia/Tokyo): plain dates and times without offset in requests
     * mean this zone. Unset: the JVM's zone. The Helm chart sets it explicitly.
     */
    @WithName("time-zone")
    Optional<String> timeZone();

    /** Password of the first local account {@code admin}; generated and printed once when absent. */
    @WithName("admin-password")
    Optional<String> adminPassword();

    Limits limits();

    Auth auth();

    Webhooks webhooks();

    Push push();

    Autoreply autoreply();

    Audit audit();

    /** Signed checkpoints of the audit chain head, kept outside the database (docs/security.md, #8). */
    interface Audit {
        /** The longest time a new audit entry waits for a checkpoint; no checkpoint while the chain does not grow. */
        @WithName("checkpoint-interval")
        @WithDefault("PT5M")
        Duration checkpointInterval();

        /** Sign sooner once this many entries were added since the last checkpoint. */
        @WithName("checkpoint-every-entries")
        @WithDefault("1000")
        int checkpointEveryEntries();

        /** How often each replica looks whether a checkpoint is due (one cheap query). */
        @WithName("checkpoint-poll")
        @WithDefault("PT15S")
        Duration checkpointPoll();

        /**
         * The Ed25519 private key that signs checkpoints, PKCS#8 PEM ({@code openssl genpkey -algorithm
         * ed25519}); every replica needs the same one. Unset: generated once into
         * {@code <data-dir>/audit/checkpoint-signing.key} (0600), outside the credential folders.
         */
        @WithName("signing-key")
        Optional<String> signingKey();
    }

    interface Autoreply {
        /** How often autoreplies whose period has ended are taken off the servers and out of the directory. */
        @WithName("expiry-check-interval")
        @WithDefault("PT1M")
        Duration expiryCheckInterval();
    }

    /** Push jobs; also a leased queue ({@code lease}, {@code first-retry-delay}, {@code max-retry-delay}, {@code max-attempts}). */
    interface Push extends QueueSettings {
        /** Register the embedded FILE server ({@code <data-dir>/mail-config}) when no server is registered. */
        @WithName("default-file-server")
        @WithDefault("true")
        boolean defaultFileServer();

        /** How long a claimed job is reserved for its worker; a crashed worker's jobs are taken over after it. */
        @Override
        @WithName("lease")
        @WithDefault("PT2M")
        Duration lease();

        /** First retry after a failed attempt; doubles per attempt up to {@code max-retry-delay}. */
        @Override
        @WithName("first-retry-delay")
        @WithDefault("PT5S")
        Duration firstRetryDelay();

        @Override
        @WithName("max-retry-delay")
        @WithDefault("PT5M")
        Duration maxRetryDelay();

        /** Attempts before a job is FAILED (it can be retried by hand). 30 covers about two hours of outage. */
        @Override
        @WithName("max-attempts")
        @WithDefault("30")
        int maxAttempts();

        /** How often every enabled server is read back and compared with the approved state. */
        @WithName("drift-check-interval")
        @WithDefault("PT15M")
        Duration driftCheckInterval();

        /**
         * The only environment variables a server's {@code credentialRef env:NAME} may name: those
         * starting with this prefix (never QUARKUS_*, never the service's own secrets).
         */
        @WithName("credential-env-prefix")
        @WithDefault("MAILGOV_SECRET_")
        String credentialEnvPrefix();

        /**
         * The only folders a {@code credentialRef file:/path} may read from (symlinks resolved; the
         * file must stay inside). Unset: {@code /etc/mailgov/secrets} and {@code <data-dir>/secrets}.
         */
        @WithName("credential-dirs")
        Optional<List<String>> credentialDirs();
    }

    Ui ui();

    Http http();

    interface Http {
        /**
         * The proxies (addresses or CIDRs, e.g. the ingress's pod network) whose X-Forwarded-For is
         * believed: the audit records the client address they forward. Unset: nobody's (applied
         * through quarkus.http.proxy.trusted-proxies).
         */
        @WithName("trusted-proxies")
        Optional<List<String>> trustedProxies();
    }

    interface Ui {
        /** How browsers log in to the admin UI: {@code form} (local accounts) or {@code code} (OIDC, Keycloak). */
        @WithName("auth-mechanism")
        @WithDefault("form")
        String authMechanism();
    }

    /** Webhook deliveries; a leased queue like the push jobs, with its own defaults. */
    interface Webhooks extends QueueSettings {
        /** Deliver to loopback, private and link-local addresses too (off: such targets are refused). */
        @WithName("allow-private-targets")
        @WithDefault("false")
        boolean allowPrivateTargets();

        /** How long one delivery attempt may take. */
        @WithName("timeout")
        @WithDefault("PT10S")
        Duration timeout();

        /** Attempts before a delivery is given up as FAILED (it can still be redelivered by hand). */
        @Override
        @WithName("max-attempts")
        @WithDefault("8")
        int maxAttempts();

        /** How long a claimed batch is reserved for its sender (each delivery renews its own right before it is sent). */
        @Override
        @WithName("lease")
        @WithDefault("PT2M")
        Duration lease();

        /** First retry after a failed attempt; doubles per attempt up to {@code max-retry-delay}. */
        @Override
        @WithName("first-retry-delay")
        @WithDefault("PT5S")
        Duration firstRetryDelay();

        @Override
        @WithName("max-retry-delay")
        @WithDefault("PT1H")
        Duration maxRetryDelay();
    }

    interface Limits {
        /** Largest accepted request body in bytes; larger bodies get 413 before they are read. */
        @WithName("max-body-bytes")
        @WithDefault("262144")
        long maxBodyBytes();

        /** Most items one change request may carry. */
        @WithName("max-items")
        @WithDefault("500")
        int maxItems();

        /** Most characters of an autoreply body (RFC 3834: brief plain text). */
        @WithName("max-autoreply-body")
        @WithDefault("4000")
        int maxAutoreplyBody();
    }

    interface Auth {
        /** How long a verified local password is remembered, so Basic auth does not run bcrypt per request. */
        @WithName("credential-cache")
        @WithDefault("PT2M")
        Duration credentialCache();

        /** Token claim carrying the user's department code (OIDC). */
        @WithName("department-claim")
        @WithDefault("department")
        String departmentClaim();

        /**
         * The audience an OIDC token must be for (its {@code aud} claim names this or mailgov's client
         * id), so a token the same realm issued to another application is refused. Applied through
         * quarkus.oidc.token.audience.
         */
        @WithName("audience")
        @WithDefault("mailgov")
        String audience();
    }
}
