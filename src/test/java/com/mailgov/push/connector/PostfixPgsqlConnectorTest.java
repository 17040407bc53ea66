package com.mailgov.push.connector;

import com.mailgov.testsupport.PostgresTestResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Postfix alias table in a real PostgreSQL (the table a pgsql: map queries). */
class PostfixPgsqlConnectorTest implements MailServerConnectorContract {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final PostgresTestResource DB = new PostgresTestResource();
    private static String jdbc;
    private static String user;

    @BeforeAll
    static void table() throws Exception {
        Map<String, String> props = DB.start();
        jdbc = props.get("quarkus.datasource.jdbc.url");
        user = props.get("quarkus.datasource.username");
        try (Connection c = DriverManager.getConnection(jdbc, user, null); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE virtual_alias (source text PRIMARY KEY, destination text NOT NULL, enabled boolean NOT NULL DEFAULT true)");
        }
    }

    @AfterAll
    static void drop() {
        DB.stop();
    }

    private static MailServerTarget target(String table) {
        return new MailServerTarget("pg", ServerKind.POSTFIX_PGSQL, jdbc.replaceFirst("^jdbc:", "").replaceFirst("\\?.*$", ""),
                user, null, Map.of("table", table));
    }

    @Override
    public MailServerConnector connector() {
        return new PostfixPgsqlConnector(target("virtual_alias"));
    }

    @Override
    public ArtifactKey freshKey() {
        return ArtifactKey.alias("alias" + SEQ.incrementAndGet() + "@corp.example");
    }

    @Override
    public String content(ArtifactKey key, int variant) {
        return "t" + variant + "@corp.example, keep@corp.example";
    }

    @Override
    public String unicodeContent(ArtifactKey key) {
        return "高橋@例え.jp";
    }

    @Test
    void tenThousandAliasesAreOneTransaction() throws Exception {
        Map<ArtifactKey, String> changes = new TreeMap<>();
        for (int i = 0; i < 10_000; i++) {
            changes.put(ArtifactKey.alias("bulk" + i + "@corp.example"), "u" + i + "@corp.example");
        }
        long t0 = System.nanoTime();
        try (MailServerConnector c = connector()) {
            c.apply(changes);
            Map<ArtifactKey, String> all = c.read(ReadScope.everything(Set.of()));
            assertEquals("u9999@corp.example", all.get(ArtifactKey.alias("bulk9999@corp.example")));
            assertTrue(all.size() >= 10_000);
        }
        System.out.printf("10,000 aliases written and read back in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void aMissingTableIsNotRetriedAndNamesTheTable() {
        ConnectorException e = assertThrows(ConnectorException.class, () -> {
            try (MailServerConnector c = new PostfixPgsqlConnector(target("no_such_table"))) {
                c.read(ReadScope.everything(Set.of()));
            }
        });
        assertFalse(e.retryable());
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
    }

    @Test
    void anUnreachableServerIsRetried() {
        MailServerTarget down = new MailServerTarget("pg", ServerKind.POSTFIX_PGSQL, "postgresql://127.0.0.1:1/mail", user, null,
                Map.of("connectTimeoutSeconds", "2"));
        ConnectorException e = assertThrows(ConnectorException.class, () -> {
            try (MailServerConnector c = new PostfixPgsqlConnector(down)) {
                c.read(ReadScope.everything(Set.of()));
            }
        });
        assertTrue(e.retryable(), e.getMessage());
    }

    @Test
    void endpointsAndTableNamesThatCouldInjectSqlAreRefused() {
        assertNotNull(PostfixPgsqlConnector.check("postgresql://h:5432/db; DROP TABLE x", null));
        assertNotNull(PostfixPgsqlConnector.check("postgresql://h:5432/mail", "virtual_alias; DROP TABLE x"));
        assertEquals(null, PostfixPgsqlConnector.check("postgresql://pg.corp.example:5432/mail", "postfix.virtual_alias"));
    }
}
