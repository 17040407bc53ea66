package com.mailgov.push.connector;

import com.mailgov.push.PostfixVirtualMap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The embedded default: writes what a Postfix and a Dovecot would read into a folder —
 * {@code postfix/virtual} (a map for {@code postmap}) and {@code sieve/<mailbox>.sieve}.
 * Files are replaced atomically, so a reader never sees half a file.
 */
public class FileConnector implements MailServerConnector {

    private final Path root;

    public FileConnector(Path root) {
        this.root = root;
    }

    @Override
    public Map<ArtifactKey, String> read(ReadScope scope) throws ConnectorException {
        Map<ArtifactKey, String> out = new TreeMap<>();
        try {
            for (Map.Entry<String, String> e : readMap().entrySet()) {
                ArtifactKey key = ArtifactKey.alias(e.getKey());
                if (scope.isEverything() || scope.keys().contains(key)) {
                    out.put(key, e.getValue());
                }
            }
            Path sieve = root.resolve("sieve");
            if (Files.isDirectory(sieve)) {
                try (Stream<Path> files = Files.list(sieve)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".sieve")).toList()) {
                        String name = file.getFileName().toString();
                        ArtifactKey key = ArtifactKey.vacation(decode(name.substring(0, name.length() - ".sieve".length())));
                        if (scope.isEverything() || scope.keys().contains(key)) {
                            out.put(key, Files.readString(file, StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ConnectorException("cannot read " + root + ": " + e.getMessage(), true, e);
        }
        return out;
    }

    @Override
    public void apply(Map<ArtifactKey, String> changes) throws ConnectorException {
        try {
            Map<String, String> map = null;
            for (Map.Entry<ArtifactKey, String> c : changes.entrySet()) {
                ArtifactKey key = c.getKey();
                if (key.type() == ArtifactType.ALIAS) {
                    if (map == null) {
                        map = new TreeMap<>(readMap());
                    }
                    if (c.getValue() == null) {
                        map.remove(key.key());
                    } else {
                        map.put(key.key(), c.getValue());
                    }
                } else if (key.type() == ArtifactType.VACATION) {
                    Path file = root.resolve("sieve").resolve(encode(key.key()) + ".sieve");
                    if (c.getValue() == null) {
                        Files.deleteIfExists(file);
                    } else {
                        write(file, c.getValue());
                    }
                }
            }
            if (map != null) {
                StringBuilder text = new StringBuilder("# Postfix virtual alias map written by mailgov; run postmap on it.\n");
                map.forEach((source, targets) -> text.append(PostfixVirtualMap.line(source, targets)).append('\n'));
                write(root.resolve("postfix").resolve("virtual"), text.toString());
            }
        } catch (IOException e) {
            throw new ConnectorException("cannot write under " + root + ": " + e.getMessage(), true, e);
        }
    }

    private Map<String, String> readMap() throws IOException {
        Path file = root.resolve("postfix").resolve("virtual");
        Map<String, String> map = new HashMap<>();
        if (!Files.exists(file)) {
            return map;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            map.put(line.substring(0, space), line.substring(space + 1));
        }
        return map;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** File names keep letters, digits and {@code . _ - + @}; anything else (even "/") becomes %XX. */
    static String encode(String mailbox) {
        StringBuilder out = new StringBuilder();
        for (byte b : mailbox.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || ".-_+@".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    static String decode(String name) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && i + 2 < name.length()) {
                bytes.write(Integer.parseInt(name.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
