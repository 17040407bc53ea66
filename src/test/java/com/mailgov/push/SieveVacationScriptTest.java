package com.mailgov.push;

import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.AutoreplySpec.Audience;
import com.mailgov.testsupport.MailTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generated vacation scripts compile with Pigeonhole's sievec and, run by sieve-test against
 * real messages, reply with exactly the text that was asked for — hostile text included.
 */
class SieveVacationScriptTest {

    static final String HOSTILE_BODY = "出張のため12月1日まで不在です。\n\"quoted\" and \\backslash\\\n.\n..two dots\n${x} ${env.SECRET}\n"
            + "\"; redirect \"evil@example.com\"; #\nEnd.";
    static final String HOSTILE_SUBJECT = "不在のお知らせ \"Out of office\" \\ ${subject}";

    @TempDir
    static Path dir;

    @BeforeAll
    static void tools() throws Exception {
        MailTools.sieveTestConfig(dir, "rwxr-xr-x", """
                plugin {
                  sieve_vacation_min_period = 1d
                }
                """);
    }

    private static AutoreplySpec autoreply(Audience audience, int days) {
        return new AutoreplySpec("takahashi@corp.example", HOSTILE_SUBJECT, HOSTILE_BODY, null, null, days, audience,
                List.of("t.takahashi@corp.example"));
    }

    private static String run(String script, String envelopeFrom, String headers) throws IOException, InterruptedException {
        Path sieve = Files.createTempFile(dir, "script", ".sieve");
        Files.writeString(sieve, script, StandardCharsets.UTF_8);
        Path mail = Files.createTempFile(dir, "mail", ".eml");
        Files.writeString(mail, headers + "Subject: hello\r\nMessage-ID: <" + System.nanoTime() + "@corp.example>\r\n\r\nbody\r\n");
        for (Path p : List.of(sieve, mail)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Process compile = new ProcessBuilder("sievec", sieve.toString(), dir.resolve("out.svbin").toString())
                .redirectErrorStream(true).start();
        String compiled = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(compile.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, compile.exitValue(), "sievec: " + compiled + "\n" + script);
        Process test = new ProcessBuilder("sieve-test", "-c", dir.resolve("dovecot.conf").toString(),
                "-f", envelopeFrom, "-a", "takahashi@corp.example", sieve.toString(), mail.toString())
                .redirectErrorStream(true).start();
        String out = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(test.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("final result: success"), out);
        return out;
    }

    @Test
    void repliesWithExactlyTheRequestedTextAndNothingElse() throws Exception {
        String script = SieveVacationScript.generate(autoreply(Audience.ALL, 7), List.of("sales-info@corp.example"), List.of("corp.example"), ZoneOffset.UTC);
        assertFalse(script.contains("variables") || script.contains("encoded-character"));
        String out = run(script, "sato@partner.example", "From: sato@partner.example\r\nTo: takahashi@corp.example\r\n");
        assertTrue(out.contains("send vacation message"), out);
        assertTrue(out.contains("=> seconds : 604800"), out);
        assertTrue(out.contains("=> subject : " + HOSTILE_SUBJECT), out);
        String body = out.substring(out.indexOf("START MESSAGE\n") + "START MESSAGE\n".length(), out.indexOf("END MESSAGE"))
                .replace("\r\n", "\n"); // the reply travels with CRLF line ends
        assertEquals(HOSTILE_BODY + "\n\n", body, "the reply must carry exactly the requested text");
        assertFalse(out.contains("redirect message"), "text must never become a command");
        assertTrue(script.contains(":addresses [\"takahashi@corp.example\", \"t.takahashi@corp.example\", \"sales-info@corp.example\"]"));
    }

    @Test
    void anInternalOnlyAutoreplyIgnoresExternalSenders() throws Exception {
        String script = SieveVacationScript.generate(autoreply(Audience.INTERNAL, 1), List.of(), List.of("corp.example"), ZoneOffset.UTC);
        assertTrue(run(script, "sato@corp.example", "From: sato@corp.example\r\nTo: takahashi@corp.example\r\n")
                .contains("send vacation message"));
        assertFalse(run(script, "test-ml-bounces@partner.example", "From: someone@partner.example\r\nTo: takahashi@corp.example\r\n")
                .contains("send vacation message"));
    }

    @Test
    void periodsCompileAndTheIntervalNeverGoesBelowOneDay() throws Exception {
        AutoreplySpec spec = new AutoreplySpec("takahashi@corp.example", "不在", "本文", Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2099-12-31T00:00:00Z"), 0, Audience.ALL, List.of());
        String script = SieveVacationScript.generate(spec, List.of(), List.of("corp.example"), ZoneOffset.UTC);
        assertTrue(script.contains(":days 1 "));
        String out = run(script, "sato@corp.example", "From: sato@corp.example\r\nTo: takahashi@corp.example\r\n");
        assertTrue(out.contains("send vacation message"), out);
        AutoreplySpec past = new AutoreplySpec("takahashi@corp.example", "不在", "本文", Instant.parse("2020-01-01T00:00:00Z"),
                Instant.parse("2020-01-05T00:00:00Z"), 7, Audience.ALL, List.of());
        assertFalse(run(SieveVacationScript.generate(past, List.of(), List.of("corp.example"), ZoneOffset.UTC), "sato@corp.example",
                "From: sato@corp.example\r\nTo: takahashi@corp.example\r\n").contains("send vacation message"));
    }

    @Test
    void headerBoundValuesWithLineBreaksAreRefused() {
        AutoreplySpec bad = new AutoreplySpec("takahashi@corp.example", "a\r\nBcc: x@y.z", "b", null, null, 7, Audience.ALL, List.of());
        assertThrows(IllegalArgumentException.class, () -> SieveVacationScript.generate(bad, List.of(), List.of("corp.example"), ZoneOffset.UTC));
    }
}
