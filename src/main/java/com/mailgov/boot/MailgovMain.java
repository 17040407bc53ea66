package com.mailgov.boot;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.eclipse.microprofile.config.ConfigProvider;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Starts mailgov. With no JDBC URL configured it first starts the embedded PostgreSQL in the data
 * folder (the embedded default), so one command gives a working service.
 */
@QuarkusMain
public class MailgovMain {

    public static void main(String... args) throws Exception {
        String host = ConfigProvider.getConfig().getOptionalValue("quarkus.http.host", String.class).orElse("127.0.0.1");
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        if (!PortCheck.free(host, port)) {
            // One clear line instead of Vert.x's stack traces after the database was started for nothing.
            System.err.println("mailgov: cannot listen on " + host + ":" + port + " — another program uses that port."
                    + " Stop it, or start mailgov on another port: QUARKUS_HTTP_PORT=8081 target/quarkus-app/mailgov");
            System.exit(2);
        }
        if (ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.jdbc.url", String.class).isEmpty()) {
            Path dataDir = Path.of(ConfigProvider.getConfig().getOptionalValue("mailgov.data-dir", String.class).orElse("data"));
            EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.resolve("postgres"));
            System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
            // Flyway migrates as the owner; the service runs as a role that cannot change audit rows.
            System.setProperty("quarkus.flyway.username", db.username());
            System.setProperty("quarkus.flyway.password", db.password());
            System.setProperty("quarkus.datasource.username", db.appUsername());
            System.setProperty("quarkus.datasource.password", db.appPassword());
            Runtime.getRuntime().addShutdownHook(new Thread(db::stop, "embedded-postgres-stop"));
        }
        // Without a configured key Quarkus makes one up for the UI's session cookie and prints it to
        // the log; make one here instead, never logged (sessions then end with a restart, as before).
        if (ConfigProvider.getConfig().getOptionalValue("quarkus.http.auth.session.encryption-key", String.class).isEmpty()) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            System.setProperty("quarkus.http.auth.session.encryption-key", Base64.getEncoder().encodeToString(key));
        }
        Quarkus.run(args);
    }
}
