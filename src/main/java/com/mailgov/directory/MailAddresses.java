package com.mailgov.directory;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks and normalises mail addresses the way mailgov stores them: lower case, the domain as
 * ASCII (IDN domains are converted to their xn-- form), RFC 5321 length limits. Non-ASCII local
 * parts are refused: they need SMTPUTF8 on every hop, which mailgov does not push.
 */
public final class MailAddresses {

    /** RFC 5321 §4.5.3.1: local part 64 octets, domain 255, path 256 including the brackets. */
    public static final int MAX_LOCAL = 64;
    public static final int MAX_DOMAIN = 255;
    public static final int MAX_ADDRESS = 254;

    // RFC 5322 dot-atom: atext runs separated by single dots. Quoted local parts are refused.
    private static final Pattern LOCAL_PART = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private MailAddresses() {
    }

    /** The outcome: a normalised address, or why it is not one. */
    public record Result(String address, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    public static Result normalise(String raw) {
        if (raw == null || raw.isEmpty()) {
            return fail("is required");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return fail("must not contain CR, LF or NUL");
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return fail("must not contain spaces or control characters");
            }
        }
        int at = raw.lastIndexOf('@');
        if (at <= 0 || at == raw.length() - 1) {
            return fail("must look like local-part@domain");
        }
        String local = raw.substring(0, at);
        String domain = raw.substring(at + 1);
        if (local.indexOf('@') >= 0) {
            return fail("must contain exactly one @");
        }
        if (!local.chars().allMatch(c -> c < 128)) {
            return fail("non-ASCII local parts (e.g. Japanese names) need SMTPUTF8 end to end and are not accepted; use an ASCII local part");
        }
        if (local.getBytes(StandardCharsets.US_ASCII).length > MAX_LOCAL) {
            return fail("local part is longer than " + MAX_LOCAL + " octets (RFC 5321)");
        }
        if (local.indexOf('|') >= 0) {
            // '|' separates list and member in the servers' keys, and "|command" is a pipe in Postfix aliases
            return fail("must not contain '|'");
        }
        if (!LOCAL_PART.matcher(local).matches()) {
            return fail("local part has characters or dots an address may not have");
        }
        String asciiDomain;
        try {
            // IDN domains (例え.jp) are accepted and stored as their ASCII form (xn--r8jz45g.jp).
            asciiDomain = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return fail("domain is not a valid (internationalised) domain name");
        }
        if (asciiDomain.endsWith(".")) {
            asciiDomain = asciiDomain.substring(0, asciiDomain.length() - 1);
        }
        if (asciiDomain.length() > MAX_DOMAIN) {
            return fail("domain is longer than " + MAX_DOMAIN + " octets (RFC 5321)");
        }
        String[] labels = asciiDomain.split("\\.", -1);
        if (labels.length < 2) {
            return fail("domain must have at least two labels (example.com)");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return fail("domain label '" + label + "' is not a valid host name label");
            }
        }
        String address = local.toLowerCase(Locale.ROOT) + "@" + asciiDomain;
        if (address.length() > MAX_ADDRESS) {
            return fail("address is longer than " + MAX_ADDRESS + " octets (RFC 5321)");
        }
        return new Result(address, null);
    }

    public static String domainOf(String normalisedAddress) {
        return normalisedAddress.substring(normalisedAddress.lastIndexOf('@') + 1);
    }

    private static Result fail(String error) {
        return new Result(null, error);
    }
}
