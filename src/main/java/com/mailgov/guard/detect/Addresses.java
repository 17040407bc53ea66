package com.mailgov.guard.detect;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an envelope or header address into the node it stands for: lists and forwarders rewrite
 * the return path (VERP {@code list-bounces+user=dom@host}, SRS {@code SRS0=h=t=dom=user@fwd}, BATV
 * {@code prvs=tag=user@dom}, plus-addressing), so the same list must count as one node.
 * Returns null for what is no address (controls, too long, no domain); "" for the null sender.
 */
public final class Addresses {

    static final int MAX_LENGTH = 320;
    private static final Pattern ANGLE = Pattern.compile("<([^<>]*)>");
    private static final Pattern SRS0 = Pattern.compile("(?i)srs0[=+-][^=]*=[^=]*=([^=]+)=(.+)");
    private static final Pattern SRS1 = Pattern.compile("(?i)srs1[=+-].*?==[^=]*=[^=]*=([^=]+)=(.+)");
    private static final Pattern BATV = Pattern.compile("(?i)(?:prvs|btv1|msprvs1)=[^=]+=(.+)");
    private static final Pattern BOUNCES = Pattern.compile("(?i)(.+?)-(?:bounces?|owner|request|confirm|join|leave)(?:[+=-].*)?");

    private Addresses() {
    }

    public static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String a = raw.strip();
        if (a.indexOf('<') >= 0) {
            Matcher angle = ANGLE.matcher(a);
            if (angle.find()) {
                a = angle.group(1).strip();
            }
        }
        if (a.isEmpty()) {
            return "";
        }
        if (a.length() > MAX_LENGTH) {
            return null;
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c < 0x20 || c == 0x7f || c == ' ' || c == '<' || c == '>' || c == ',') {
                return null;
            }
        }
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1) {
            return null;
        }
        String local = a.substring(0, at);
        String domain = a.substring(at + 1).toLowerCase(Locale.ROOT);
        // most addresses are plain: SRS and BATV need '=', list bounces '-', sub-addresses '+'
        if (local.indexOf('=') < 0 && local.indexOf('-') < 0 && local.indexOf('+') < 0) {
            return local.toLowerCase(Locale.ROOT) + "@" + domain;
        }
        Matcher m = SRS0.matcher(local);
        if (m.matches() || (m = SRS1.matcher(local)).matches()) {
            return normalise(m.group(2) + "@" + m.group(1));
        }
        m = BATV.matcher(local);
        if (m.matches()) {
            local = m.group(1);
        }
        m = BOUNCES.matcher(local);
        if (m.matches()) {
            local = m.group(1);
        }
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        return local.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /** The first address in a header value such as {@code "Name" <a@b>, c@d}. */
    public static String firstOf(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        Matcher angle = ANGLE.matcher(headerValue);
        if (angle.find()) {
            return normalise(angle.group(1));
        }
        String first = headerValue.split(",", 2)[0].strip();
        int sp = first.lastIndexOf(' ');
        return normalise(sp >= 0 ? first.substring(sp + 1) : first);
    }

    /** Postmaster, MAILER-DAEMON and friends: a reply they send is someone else's. */
    public static boolean system(String normalised) {
        if (normalised == null || normalised.isEmpty()) {
            return true;
        }
        String local = normalised.substring(0, normalised.indexOf('@'));
        return local.equals("postmaster") || local.equals("mailer-daemon") || local.equals("root") || local.equals("nobody");
    }
}
