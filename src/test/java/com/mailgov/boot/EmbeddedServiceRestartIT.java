package com.mailgov.boot;

import com.mailgov.testsupport.PackagedService;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 #4 on the packaged service, started as README command 1 starts it (the launcher): with
 * the embedded database (no JDBC URL), the service starts, restarts on the same data folder, and its
 * PostgreSQL refuses a connection without the password. The first stop leaves the class-data
 * archive the second start uses (issue 14: with -Xshare:on the JVM refuses to start without it).
 */
class EmbeddedServiceRestartIT {

    private static final String ADMIN_PASSWORD = "embedded-admin-pw-1";

    @Test
    void theServiceStartsAndRestartsOnItsPasswordProtectedEmbeddedDatabase(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("MAILGOV_ADMIN_PASSWORD", ADMIN_PASSWORD);
        Path build = Path.of("target", "quarkus-app");
        try (var archives = Files.newDirectoryStream(build, "mailgov-*.jsa*")) {
            for (Path archive : archives) {
                Files.delete(archive);
            }
        }
        for (int start = 1; start <= 2; start++) {
            try (PackagedService service = PackagedService.launchAsReadme(dir, env, start == 1 ? "" : "-Xshare:on")) {
                service.awaitReady(Duration.ofSeconds(240));
                RestAssured.given().baseUri(service.url()).auth().preemptive().basic("admin", ADMIN_PASSWORD)
                        .get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
                List<String> pid = Files.readAllLines(dir.resolve("postgres").resolve("postmaster.pid"));
                String url = "jdbc:postgresql://127.0.0.1:" + pid.get(3).trim() + "/postgres";
                SQLException noPassword = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", null).close());
                assertTrue(noPassword.getMessage().contains("SCRAM"), noPassword::getMessage);
                SQLException wrong = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", "wrong").close());
                assertEquals("28P01", wrong.getSQLState(), wrong::getMessage);
                String secret = Files.readString(dir.resolve("postgres.password")).strip();
                DriverManager.getConnection(url, "postgres", secret).close();
                assertTrue(!service.log().contains(secret), "the password is never logged");
                // the service itself runs as the app role, which may not change audit rows (#8)
                String appSecret = Files.readString(dir.resolve("postgres-app.password")).strip();
                try (java.sql.Connection app = DriverManager.getConnection(url, "mailgov_app", appSecret);
                     java.sql.Statement s = app.createStatement()) {
                    SQLException refused = assertThrows(SQLException.class, () -> s.execute("DELETE FROM audit_entry"));
                    assertTrue(refused.getMessage().contains("permission denied for table audit_entry"), refused::getMessage);
                }
                String log = service.log();
                assertTrue(log.contains("Database role mailgov_app: read/write on mailgov's tables"), log);
                assertTrue(!log.contains(appSecret), "the app role's password is never logged");
            }
            if (start == 1) {
                try (var archives = Files.list(build)) {
                    assertEquals(1, archives.filter(f -> f.getFileName().toString().matches("mailgov-\\d+\\.jsa")).count(),
                            "the first stop wrote the class-data archive");
                }
            }
        }
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve("postgres.password")));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve("postgres-app.password")));
    }
}
