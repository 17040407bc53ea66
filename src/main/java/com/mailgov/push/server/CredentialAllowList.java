package com.mailgov.push.server;

import com.mailgov.audit.AuditSigningKey;
import com.mailgov.config.MailgovConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which secrets a mail-server registration may point at. A registration names a secret
 * ({@code credentialRef}) that the service then sends to an endpoint of the registrant's choice, so
 * an unrestricted reference would read the service's own secrets (the database password, the
 * session key, {@code /proc/self/environ}) out to anyone with the admin role. Only environment
 * variables with the configured prefix and regular files inside the configured folders (after
 * resolving symlinks) are allowed, and never a value that is one of the service's own secrets.
 * Checked at registration (400 on {@code credentialRef}) and again before every use, so a reference
 * stored before this rule existed is not read either.
 */
@Startup
@ApplicationScoped
public class CredentialAllowList {

    /** Keys of the service's own secrets; a credential with one of their values is refused. */
    private static final List<String> OWN_SECRETS = List.of("quarkus.datasource.password", "quarkus.flyway.password",
            "mailgov.audit.signing-key",
            "quarkus.http.auth.session.encryption-key", "mailgov.admin-password", "quarkus.oidc.credentials.secret",
            "quarkus.oidc.authentication.state-secret", "quarkus.oidc.token-state-manager.encryption-secret",
            "quarkus.rest-csrf.token-signature-key");
    /** Kernel and device file systems are never secret folders, whatever is configured. */
    private static final List<Path> NEVER = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));
    private static final long MAX_FILE_BYTES = 64 * 1024;

    @Inject
    MailgovConfig config;

    /** The audit checkpoint key: with it, whoever rewrites the chain could sign a matching checkpoint. */
    @Inject
    AuditSigningKey auditKey;

    private String envPrefix;
    private List<Path> folders;

    @PostConstruct
    void init() {
        envPrefix = config.push().credentialEnvPrefix();
        if (envPrefix.length() < 4 || envPrefix.toUpperCase().startsWith("QUARKUS_")) {
            throw new IllegalStateException("mailgov.push.credential-env-prefix must be at least 4 characters and not QUARKUS_…: "
                    + envPrefix);
        }
        List<String> configured = config.push().credentialDirs()
                .orElse(List.of("/etc/mailgov/secrets", Path.of(config.dataDir()).resolve("secrets").toString()));
        folders = new ArrayList<>();
        for (String dir : configured) {
            Path p = Path.of(dir).toAbsolutePath().normalize();
            if (NEVER.stream().anyMatch(p::startsWith) || p.getParent() == null) {
                Log.warnf("mailgov.push.credential-dirs: %s is not a secret folder and is ignored", p);
            } else {
                folders.add(p);
            }
        }
    }

    /** The folders file references may read from, as configured. */
    public List<Path> folders() {
        return List.copyOf(folders);
    }

    /** Why this (well-formed) reference is not allowed, or null when it is. */
    public String refusal(String ref) {
        if (ref.startsWith("env:")) {
            String name = ref.substring(4);
            if (name.startsWith("QUARKUS_") || !name.startsWith(envPrefix)) {
                return "environment variables must start with " + envPrefix + " (mailgov.push.credential-env-prefix)";
            }
            return null;
        }
        return fileRefusal(Path.of(ref.substring(5)));
    }

    /**
     * Why a reference given at registration cannot be used here (malformed, not allowed, or not
     * readable on this host), or null when it can; never the value.
     */
    public String problem(String ref) {
        String problem = Credentials.checkFormat(ref);
        if (problem == null) {
            problem = refusal(ref);
        }
        if (problem == null) {
            try {
                resolve(ref);
            } catch (IllegalStateException e) {
                problem = e.getMessage() + " on this host";
            }
        }
        return problem;
    }

    /** The secret for a stored reference, re-checked now; an exception names the reference, never the value. */
    public String resolve(String ref) {
        if (ref == null) {
            return null;
        }
        String format = Credentials.checkFormat(ref);
        String refused = format != null ? format : refusal(ref);
        if (refused != null) {
            throw new IllegalStateException("credential " + ref + " is not allowed: " + refused);
        }
        String value = Credentials.resolve(ref);
        if (isOwnSecret(value) || auditKey.isPrivateKeyIn(value)) {
            throw new IllegalStateException("credential " + ref + " is not allowed: it holds one of mailgov's own secrets");
        }
        return value;
    }

    private String fileRefusal(Path path) {
        Path normal = path.normalize();
        String allowed = "files must be inside " + folders + " (mailgov.push.credential-dirs)";
        Path folder = folders.stream().filter(normal::startsWith).findFirst().orElse(null);
        if (folder == null) {
            return allowed;
        }
        try {
            if (!Files.exists(normal, LinkOption.NOFOLLOW_LINKS)) {
                return null; // "does not exist" is reported when it is read
            }
            Path real = normal.toRealPath();
            Path realFolder = folder.toRealPath();
            if (!real.startsWith(realFolder) || NEVER.stream().anyMatch(real::startsWith)) {
                return "a link that leads out of " + folder + " is not allowed";
            }
            if (!Files.isRegularFile(real)) {
                return "must be a regular file";
            }
            if (Files.size(real) > MAX_FILE_BYTES) {
                return "is larger than " + MAX_FILE_BYTES + " bytes";
            }
            return null;
        } catch (IOException e) {
            return "cannot be checked: " + e.getClass().getSimpleName();
        }
    }

    private static boolean isOwnSecret(String value) {
        Config cfg = ConfigProvider.getConfig();
        for (String key : OWN_SECRETS) {
            Optional<String> own = cfg.getOptionalValue(key, String.class);
            if (own.isPresent() && !own.get().isEmpty() && Objects.equals(own.get().strip(), value.strip())) {
                return true;
            }
        }
        return false;
    }
}
