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
        if (ConfigProvider.getConfig().getOptionalValue("quarkus.datasource.jdbc.url", String.class).isEmpty()) {
            Path dataDir = Path.of(ConfigProvider.getConfig().getOptionalValue("mailgov.data-dir", String.class).orElse("data"));
            EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.resolve("postgres"));
            System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
            System.setProperty("quarkus.datasource.username", db.username());
            System.setProperty("quarkus.datasource.password", db.password());
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
