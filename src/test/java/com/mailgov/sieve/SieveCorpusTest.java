package com.mailgov.sieve;

import com.mailgov.testsupport.MailTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pigeonhole is the reference: every script of the corpus (Roundcube managesieve output, hand-made
 * responders, Pigeonhole test style, broken ones) is compiled with {@code sievec}, and our parser
 * must agree on whether it compiles and must find the responders the corpus lists for it.
 * sievec runs with the notify, vacation-seconds and editheader extensions enabled (as servers with
 * hand-made responders have them) and with the personal and global script locations the includes use.
 */
class SieveCorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/sieve-corpus");

    @TempDir
    static Path dir;
    static Path config;

    @BeforeAll
    static void pigeonhole() throws Exception {
        MailTools.ensureInstalled();
        Path personal = Files.createDirectories(dir.resolve("personal"));
        Path global = Files.createDirectories(dir.resolve("global"));
        Files.writeString(personal.resolve("vacation-old.sieve"), "keep;\n");
        Files.writeString(global.resolve("spam-rules.sieve"), "keep;\n");
        config = dir.resolve("dovecot.conf");
        Files.writeString(config, """
                plugin {
                  sieve = file:%s
                  sieve_global = %s
                  sieve_extensions = +notify +vacation-seconds +editheader
                }
                """.formatted(personal, global));
    }

    record Expectation(String file, boolean parses, List<Responder.Kind> kinds) {
    }

    static List<Expectation> expectations() throws IOException {
        List<Expectation> out = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS.resolve("expected.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            List<Responder.Kind> kinds = f[2].equals("-") ? List.of()
                    : Arrays.stream(f[2].split(" ")).map(Responder.Kind::valueOf).toList();
            out.add(new Expectation(f[0], f[1].equals("ok"), kinds));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusScriptIsListedAndAtLeastThirty() throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.list(CORPUS)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sieve")).sorted().toList();
        }
        List<String> listed = expectations().stream().map(Expectation::file).sorted().toList();
        return Stream.of(DynamicTest.dynamicTest("corpus is complete", () -> {
            assertEquals(files, listed, "expected.tsv lists every corpus script");
            assertTrue(files.size() >= 30, "at least 30 scripts, found " + files.size());
        }));
    }

    @TestFactory
    Stream<DynamicTest> ourParserAgreesWithPigeonhole() throws IOException {
        return expectations().stream().map(e -> DynamicTest.dynamicTest(e.file(), () -> {
            Path script = CORPUS.resolve(e.file());
            boolean pigeonhole = sievec(script);
            assertEquals(e.parses(), pigeonhole, "sievec on " + e.file() + " (the corpus expectation is wrong)");
            SieveAnalysis ours = SieveAnalysis.of(Files.readString(script, StandardCharsets.UTF_8));
            assertEquals(pigeonhole, ours.parses(), e.file() + ": sievec " + (pigeonhole ? "compiles" : "refuses")
                    + " it, our parser says " + (ours.parses() ? "ok" : ours.error()));
            assertEquals(e.kinds(), ours.responders().stream().map(Responder::kind).toList(), e.file() + " responders");
        }));
    }

    private static boolean sievec(Path script) throws IOException, InterruptedException {
        Path out = dir.resolve(script.getFileName() + ".svbin");
        Process p = new ProcessBuilder("sievec", "-c", config.toString(), script.toAbsolutePath().toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sievec.log").toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sievec finishes");
        return p.exitValue() == 0;
    }
}
