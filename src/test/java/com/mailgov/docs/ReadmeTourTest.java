package com.mailgov.docs;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's one-minute tour, run as written with bash and curl against this test's application:
 * only the address changes, and the names it creates get a suffix because other tests share the
 * database. Every call's status must be the one the README shows after it ("# → 201").
 */
@QuarkusTest
class ReadmeTourTest {

    private static final Pattern EXPECTED = Pattern.compile("# → (\\d{3})");
    private static final Pattern STATUS = Pattern.compile("^(\\d{3})$", Pattern.MULTILINE);

    @TestHTTPResource("/")
    URL root;

    @Test
    void theTourAnswersWithTheStatusesTheReadmeShows() throws Exception {
        String tour = tourBlock(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
        List<String> expected = all(EXPECTED, tour);
        assertTrue(expected.size() >= 10, "the tour shows the status of each call: " + expected);

        String unique = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 10000));
        String script = tour.replace("http://127.0.0.1:8080", root.toString().replaceAll("/$", ""))
                .replace("SALES1", "SALES1" + unique).replace("\"SYS\"", "\"SYS" + unique + "\"")
                .replace("takahashi", "takahashi" + unique).replace("shimanaka", "shimanaka" + unique);
        // curl reports each status on stderr, so the tour's own pipes and captures stay as written.
        String prelude = "set -eu -o pipefail\ncurl() { command curl -w '%{stderr}%{http_code}\\n' \"$@\"; }\n";

        Path statuses = Files.createTempFile("tour", ".status");
        Path output = Files.createTempFile("tour", ".out");
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", prelude + script)
                .redirectError(statuses.toFile()).redirectOutput(output.toFile());
        bash.environment().put("MAILGOV_ADMIN_PASSWORD",
                ConfigProvider.getConfig().getValue("mailgov.admin-password", String.class));
        Process run = bash.start();
        boolean finished = run.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            run.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(finished, "the tour finished within 2 minutes; output so far:\n" + out);
        assertEquals(0, run.exitValue(), "bash ran the tour to the end:\n" + out);
        List<String> answered = all(STATUS, Files.readString(statuses, StandardCharsets.UTF_8));
        assertEquals(expected, answered, "statuses in the order of the calls; output:\n" + out);
        assertFalse(out.contains("\"status\":500"), out);
        assertTrue(out.contains("autoreply-loop"), "the blocked request names its rule:\n" + out);
    }

    private static String tourBlock(String readme) {
        int section = readme.indexOf("## A one-minute tour");
        assertTrue(section >= 0, "README has the tour");
        int start = readme.indexOf("```bash\n", section) + "```bash\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
