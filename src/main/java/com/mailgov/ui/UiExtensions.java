package com.mailgov.ui;

import io.quarkus.qute.TemplateExtension;

import java.util.Locale;

/** Small helpers the templates call, so the HTML holds no logic of its own. */
@TemplateExtension
final class UiExtensions {

    private UiExtensions() {
    }

    /** An enum value as a CSS class: BLOCK → "block". */
    static String css(Enum<?> value) {
        return value == null ? "none" : value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Messages per hour, grouped for reading: 14400 → "14,400". */
    static String grouped(Long value) {
        return value == null ? "" : String.format(Locale.ROOT, "%,d", value);
    }

    /** A value for a URL query parameter. */
    static String encoded(String value) {
        return value == null ? "" : java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The first 12 characters of a hash: enough to compare by eye. */
    static String shortHash(String hash) {
        return hash == null ? "" : hash.length() <= 12 ? hash : hash.substring(0, 12) + "…";
    }
}
