package com.mailgov.push;

import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.directory.spec.AutoreplySpec.Audience;
import com.mailgov.testsupport.MailTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pushed period switches on and off at the minute on Pigeonhole, whatever the company's zone:
 * times are chosen relative to now (never a fixed day), and the test waits for the boundary.
 */
class SieveAutoreplyTimeTest {

    static final List<ZoneId> ZONES = List.of(ZoneId.of("Asia/Tokyo"), ZoneId.of("Europe/Berlin"), ZoneId.of("UTC"),
            ZoneId.of("America/New_York"));

    @TempDir
    static Path dir;

    @BeforeAll
    static void tools() throws Exception {
        MailTools.sieveTestConfig(dir, "rwxrwxrwx", "");
    }

    private static AutoreplySpec autoreply(Instant startsAt, Instant endsAt) {
        return new AutoreplySpec("takahashi@corp.example", "不在", "不在です。", startsAt, endsAt, 1, Audience.ALL, List.of());
    }

    /** True when Pigeonhole would send the vacation reply for a message arriving now. */
    private static boolean answers(String script) throws Exception {
        Path sieve = Files.createTempFile(dir, "script", ".sieve");
        Files.writeString(sieve, script, StandardCharsets.UTF_8);
        Path mail = Files.createTempFile(dir, "mail", ".eml");
        Files.writeString(mail, "From: sato@partner.example\r\nTo: takahashi@corp.example\r\nSubject: hello\r\n"
                + "Message-ID: <" + System.nanoTime() + "@partner.example>\r\n\r\nbody\r\n");
        for (Path p : List.of(sieve, mail)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Process test = new ProcessBuilder("sieve-test", "-c", dir.resolve("dovecot.conf").toString(),
                "-f", "sato@partner.example", "-a", "takahashi@corp.example", sieve.toString(), mail.toString())
                .redirectErrorStream(true).start();
        String out = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(test.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("final result: success"), out + "\n" + script);
        return out.contains("send vacation message");
    }

    @Test
    void anAutoreplyFromNowPlusOneMinuteAnswersOnlyOnceThatMinuteCame() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant inOneMinute = now.plus(1, ChronoUnit.MINUTES);
        for (ZoneId zone : ZONES) {
            String starting = SieveVacationScript.generate(autoreply(inOneMinute, null), List.of(), List.of(), zone);
            String ending = SieveVacationScript.generate(autoreply(null, inOneMinute), List.of(), List.of(), zone);
            assertTrue(starting.contains("currentdate :zone \"" + java.time.format.DateTimeFormatter.ofPattern("xx")
                    .format(inOneMinute.atZone(zone)) + "\""), starting);
            assertEquals(false, answers(starting), "not yet at now, in " + zone);
            assertEquals(true, answers(ending), "still on at now, in " + zone);
        }
        long wait = millisUntil(now.plus(2, ChronoUnit.MINUTES));
        Thread.sleep(Math.max(0, wait));
        for (ZoneId zone : ZONES) {
            assertEquals(true, answers(SieveVacationScript.generate(autoreply(inOneMinute, null), List.of(), List.of(), zone)),
                    "on at now+2 min, in " + zone);
            assertEquals(false, answers(SieveVacationScript.generate(autoreply(null, inOneMinute), List.of(), List.of(), zone)),
                    "off at now+2 min, in " + zone);
        }
    }

    private static long millisUntil(Instant until) {
        return until.toEpochMilli() - System.currentTimeMillis();
    }
}
