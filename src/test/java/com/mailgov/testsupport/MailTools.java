package com.mailgov.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure Debian's Postfix/Dovecot/Pigeonhole tools are installed (src/test/mailstack/install.sh,
 * as root), so that {@code mvn verify} runs the mail tests on a fresh machine without a manual step.
 */
public final class MailTools {

    private static boolean checked;

    private MailTools() {
    }

    public static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (checked || Files.isExecutable(Path.of("/usr/bin/sievec")) && Files.isExecutable(Path.of("/usr/bin/sieve-test"))) {
            checked = true;
            return;
        }
        Process install = new ProcessBuilder("bash", "src/test/mailstack/install.sh")
                .redirectErrorStream(true).redirectOutput(Path.of("target", "mailstack-install.log").toFile()).start();
        if (!install.waitFor(15, TimeUnit.MINUTES) || install.exitValue() != 0) {
            install.destroyForcibly();
            throw new IllegalStateException("installing the mail tools failed; see target/mailstack-install.log");
        }
        checked = true;
    }
}
