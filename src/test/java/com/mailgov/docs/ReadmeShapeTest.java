package com.mailgov.docs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README stays a front page a newcomer reads in minutes, and every page it points to exists. */
class ReadmeShapeTest {

    @Test
    void theReadmeIsAtMostTenKilobytesAndEveryLinkedPageExists() throws Exception {
        byte[] readme = Files.readAllBytes(Path.of("README.md"));
        assertTrue(readme.length <= 10_000, "README.md has " + readme.length + " bytes; move detail to docs/");
        List<String> missing = new ArrayList<>();
        Matcher m = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)|src=\"([^\"]+)\"").matcher(new String(readme, StandardCharsets.UTF_8));
        int links = 0;
        while (m.find()) {
            String target = m.group(1) != null ? m.group(1) : m.group(3);
            if (!target.contains("://")) {
                links++;
                if (!Files.exists(Path.of(target))) {
                    missing.add(target);
                }
            }
        }
        assertTrue(links > 10, "the README links its guides");
        assertEquals(List.of(), missing);
    }
}
