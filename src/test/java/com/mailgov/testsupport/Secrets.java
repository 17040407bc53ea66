package com.mailgov.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Secret files for mail-server registrations, in the one folder the test profile allows
 * ({@code <data-dir>/secrets}; mailgov.push.credential-dirs).
 */
public final class Secrets {

    public static final Path FOLDER = Path.of("target/test-data/secrets").toAbsolutePath();

    private Secrets() {
    }

    /** Writes the value to a new file in the allowed folder and returns its absolute path. */
    public static Path file(String prefix, String value) {
        try {
            Files.createDirectories(FOLDER);
            Path file = Files.createTempFile(FOLDER, prefix, ".secret");
            Files.writeString(file, value, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
