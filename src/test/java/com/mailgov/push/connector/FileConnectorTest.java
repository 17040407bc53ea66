package com.mailgov.push.connector;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded default's files: the contract, a map postmap can read, and safe file names. */
class FileConnectorTest implements MailServerConnectorContract {

    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    Path root;

    @BeforeEach
    void empty() throws Exception {
        assertTrue(Files.isDirectory(root));
    }

    @Override
    public MailServerConnector connector() {
        return new FileConnector(root);
    }

    @Override
    public ArtifactKey freshKey() {
        int n = SEQ.incrementAndGet();
        return n % 2 == 0 ? ArtifactKey.vacation("user" + n + "@corp.example") : ArtifactKey.alias("alias" + n + "@corp.example");
    }

    @Override
    public String content(ArtifactKey key, int variant) {
        return key.type() == ArtifactType.ALIAS ? "t" + variant + "@corp.example, u@corp.example"
                : "require \"vacation\";\r\nvacation :days " + variant + " \"away\";\r\n";
    }

    @Override
    public String unicodeContent(ArtifactKey key) {
        return key.type() == ArtifactType.ALIAS ? "高橋@例え.jp"
                : "require \"vacation\";\r\nvacation :days 1 :subject \"不在\" \"高橋は不在です\";\r\n";
    }

    @Test
    void theMapHasOneSortedLinePerAliasAndOddMailboxNamesStayInsideTheFolder() throws Exception {
        Map<ArtifactKey, String> changes = new TreeMap<>();
        changes.put(ArtifactKey.alias("b@corp.example"), "x@corp.example");
        changes.put(ArtifactKey.alias("a@corp.example"), "y@corp.example, z@corp.example");
        changes.put(ArtifactKey.vacation("../../etc/passwd@corp.example"), "keep;\r\n");
        try (MailServerConnector c = connector()) {
            c.apply(changes);
            String map = Files.readString(root.resolve("postfix/virtual"), StandardCharsets.UTF_8);
            assertTrue(map.endsWith("a@corp.example y@corp.example, z@corp.example\nb@corp.example x@corp.example\n"), map);
            try (var files = Files.list(root.resolve("sieve"))) {
                assertEquals(Set.of("..%2F..%2Fetc%2Fpasswd@corp.example.sieve"),
                        files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
            }
            assertEquals("keep;\r\n", c.read(ReadScope.everything(Set.of())).get(ArtifactKey.vacation("../../etc/passwd@corp.example")));
        }
    }
}
