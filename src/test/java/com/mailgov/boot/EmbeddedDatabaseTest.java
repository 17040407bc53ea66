package com.mailgov.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded default keeps its data across restarts and recovers from a server left behind by kill -9. */
class EmbeddedDatabaseTest {

    /** Runs in a child JVM: starts the embedded database, writes a row, says READY, waits to be killed. */
    public static void main(String[] args) throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]));
        try (Connection c = DriverManager.getConnection(db.jdbcUrl()); Statement s = c.createStatement()) {
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
        try (Connection c = DriverManager.getConnection(restarted.jdbcUrl()); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT v FROM kept");
            assertTrue(rs.next());
            assertEquals("高橋", rs.getString(1));
        } finally {
            restarted.stop();
        }
    }
}
