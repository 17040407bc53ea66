package com.mailgov.boot;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded default keeps its data across restarts, recovers from a server left behind by kill -9,
 * and lets in only whoever has its password (issue 12 #4).
 */
class EmbeddedDatabaseTest {

    /** Runs in a child JVM: starts the embedded database, writes a row, says READY, waits to be killed. */
    public static void main(String[] args) throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]));
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('高橋')");
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(120_000);
    }

    @Test
    void dataSurvivesAKilledJvmThatLeftTheServerRunning(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("postgres");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedDatabaseTest.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean ready = false;
            while (!ready && (line = out.readLine()) != null) {
                ready = line.contains("READY");
            }
            assertTrue(ready, "the child JVM did not start its database");
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, PostgreSQL keeps running
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(data.resolve("postmaster.pid")));

        EmbeddedDatabase restarted = EmbeddedDatabase.start(data);
        try (Connection c = DriverManager.getConnection(restarted.jdbcUrl(), restarted.username(), restarted.password());
             Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT v FROM kept");
            assertTrue(rs.next());
            assertEquals("高橋", rs.getString(1));
        } finally {
            restarted.stop();
        }
    }

    @Test
    void aConnectionWithoutThePasswordIsRefusedAndTheServerListensOnLoopbackOnly(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("postgres");
        EmbeddedDatabase db = EmbeddedDatabase.start(data);
        try {
            assertFalse(db.migrated());
            assertRefusedWithoutPassword(db);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                 Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("SELECT current_setting('listen_addresses'), "
                        + "(SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256')");
                assertTrue(rs.next());
                assertEquals("localhost", rs.getString(1));
                assertEquals(0, rs.getInt(2), "every pg_hba.conf rule asks for the password");
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('鈴木')");
            }
        } finally {
            db.stop();
        }
        Path secret = dir.resolve("postgres.password");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(secret));
        assertEquals(db.password(), Files.readString(secret).strip());

        // a restart on the same folder uses the same secret
        EmbeddedDatabase again = EmbeddedDatabase.start(data);
        try (Connection c = DriverManager.getConnection(again.jdbcUrl(), again.username(), again.password());
             Statement s = c.createStatement()) {
            assertEquals(db.password(), again.password());
            ResultSet rs = s.executeQuery("SELECT v FROM kept");
            assertTrue(rs.next());
            assertEquals("鈴木", rs.getString(1));
            assertRefusedWithoutPassword(again);
        } finally {
            again.stop();
        }
    }

    @Test
    void theServiceLogsInAsAnAppRoleThatIsNoSuperuserAndCannotCreateTables(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("postgres");
        EmbeddedDatabase db = EmbeddedDatabase.start(data);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.appUsername(), db.appPassword());
             Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT current_user, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles"
                    + " WHERE rolname = current_user");
            assertTrue(rs.next());
            assertEquals("mailgov_app", rs.getString(1));
            assertFalse(rs.getBoolean(2) || rs.getBoolean(3) || rs.getBoolean(4), "no superuser, no role or database creation");
            SQLException e = assertThrows(SQLException.class, () -> s.execute("CREATE TABLE mallory (id int)"));
            assertTrue(e.getMessage().contains("permission denied for schema public"), e.getMessage());
        } finally {
            db.stop();
        }
        Path secret = dir.resolve("postgres-app.password");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(secret));
        assertEquals(db.appPassword(), Files.readString(secret).strip());
        assertThrows(SQLException.class, () -> DriverManager.getConnection(db.jdbcUrl(), db.appUsername(), "wrong").close());
    }

    @Test
    void aClusterMadeWithTrustIsMigratedToPasswordsOnItsNextStart(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("postgres");
        // what earlier versions made: zonky's defaults, trust for everyone
        try (EmbeddedPostgres legacy = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
             Connection c = DriverManager.getConnection(legacy.getJdbcUrl("postgres", "postgres"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('田中')");
        }
        assertTrue(EmbeddedDatabase.trusts(data.resolve("pg_hba.conf")));

        EmbeddedDatabase db = EmbeddedDatabase.start(data);
        try {
            assertTrue(db.migrated());
            assertFalse(EmbeddedDatabase.trusts(data.resolve("pg_hba.conf")));
            assertRefusedWithoutPassword(db);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                 Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("SELECT v FROM kept");
                assertTrue(rs.next());
                assertEquals("田中", rs.getString(1));
            }
        } finally {
            db.stop();
        }
        EmbeddedDatabase again = EmbeddedDatabase.start(data);
        try {
            assertFalse(again.migrated());
            assertRefusedWithoutPassword(again);
            DriverManager.getConnection(again.jdbcUrl(), again.username(), again.password()).close();
        } finally {
            again.stop();
        }
    }

    private static void assertRefusedWithoutPassword(EmbeddedDatabase db) {
        String url127 = db.jdbcUrl().replace("localhost", "127.0.0.1");
        for (String url : List.of(db.jdbcUrl(), url127)) {
            // without a password the server asks for one (SCRAM), which the driver cannot give
            SQLException noPassword = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", null).close());
            assertTrue(noPassword.getMessage().contains("SCRAM") || noPassword.getSQLState().startsWith("28"), noPassword::getMessage);
            SQLException wrong = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", "wrong").close());
            assertEquals("28P01", wrong.getSQLState(), wrong::getMessage); // invalid_password
        }
    }
}
