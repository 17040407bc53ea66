package com.mailgov.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
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

    /**
     * A Dovecot configuration for Pigeonhole's {@code sieve-test} in {@code dir} (its mail home owned by
     * {@code mail}), with {@code extra} lines appended; returns the file. {@code dirMode} as for chmod.
     */
    public static Path sieveTestConfig(Path dir, String dirMode, String extra) throws IOException, InterruptedException {
        ensureInstalled();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(dirMode));
        Path home = Files.createDirectories(dir.resolve("home"));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(home, users.lookupPrincipalByName("mail"));
        return Files.writeString(dir.resolve("dovecot.conf"), """
                mail_uid = mail
                mail_gid = mail
                first_valid_uid = 1
                mail_home = %s
                mail_location = maildir:%s/Maildir
                """.formatted(home, home) + extra);
    }
}
