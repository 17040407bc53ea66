package com.mailgov.guard.incident;

import com.mailgov.guard.GuardConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Releases the held messages of stopped incidents from Postfix's hold queue ({@code postsuper -H -},
 * queue ids on standard input), and records each release. Rows are claimed with SKIP LOCKED, so
 * two replicas never release the same message twice (a second release would be harmless anyway).
 */
@ApplicationScoped
public class HeldRelease {

    private static final Logger LOG = Logger.getLogger(HeldRelease.class);
    private static final Pattern QUEUE_ID = Pattern.compile("[0-9A-Za-z]{5,32}");

    @Inject
    IncidentService incidents;

    @Inject
    GuardConfig config;

    public int releaseDue() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> rows = incidents.claimReleasable(500);
            if (rows.isEmpty()) {
                return 0;
            }
            List<Long> withId = new ArrayList<>();
            List<Long> without = new ArrayList<>();
            StringBuilder ids = new StringBuilder();
            for (Object[] r : rows) {
                long id = ((Number) r[0]).longValue();
                String q = (String) r[1];
                if (q != null && QUEUE_ID.matcher(q).matches()) {
                    withId.add(id);
                    ids.append(q).append('\n');
                } else {
                    without.add(id);
                }
            }
            incidents.markReleased(without, "no queue id known: release it by hand (postqueue -p shows held messages with '!')");
            if (withId.isEmpty()) {
                return 0;
            }
            List<String> command = config.postsuperCommand().orElse(null);
            if (command == null || command.isEmpty()) {
                incidents.markReleased(withId, "mailgov.guard.postsuper-command is not set: release by hand with postsuper -H");
                return 0;
            }
            String result = postsuper(command, ids.toString());
            incidents.markReleased(withId, result);
            return withId.size();
        });
    }

    private static String postsuper(List<String> command, String queueIds) {
        List<String> cmd = new ArrayList<>(command);
        cmd.add("-H");
        cmd.add("-");
        try {
            Path out = Files.createTempFile("mailgov-postsuper", ".log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                p.getOutputStream().write(queueIds.getBytes(StandardCharsets.US_ASCII));
                p.getOutputStream().close();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "postsuper -H timed out";
                }
                String text = Files.readString(out).strip();
                return "postsuper -H (rc " + p.exitValue() + ")" + (text.isEmpty() ? "" : ": " + text);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (Exception e) {
            LOG.warnf("postsuper -H failed: %s", e.toString());
            return "postsuper -H failed: " + e.getMessage();
        }
    }
}
