package com.mailgov.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Keeps webhooks from being pointed at the service's own network (SSRF): loopback, private,
 * link-local (cloud metadata), unique-local and unspecified addresses are refused unless the
 * configuration allows them. Checked at registration and again, after name resolution, before
 * every delivery (so DNS cannot be used to sneak in).
 */
public final class WebhookTargetGuard {

    private WebhookTargetGuard() {
    }

    /** Why the URL may not be used, or null. Does not resolve names. */
    public static String checkUrl(String url, boolean allowPrivate) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "must be an http(s) URL";
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return "must name a host and carry no user info";
        }
        if (allowPrivate) {
            return null;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return "points at this machine (loopback), which is refused";
        }
        if (isLiteral(host)) {
            try {
                return checkAddress(InetAddress.getByName(host.replace("[", "").replace("]", "")));
            } catch (UnknownHostException e) {
                return "is not a valid address";
            }
        }
        return null;
    }

    /** Why an address may not be delivered to, or null. */
    public static String checkAddress(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "points at this machine (loopback), which is refused";
        }
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return "points at a private, link-local or multicast address, which is refused";
        }
        if (address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc) {
            return "points at a unique-local IPv6 address, which is refused";
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 100 && second >= 64 && second <= 127) {
                return "points at a carrier-grade NAT address, which is refused";
            }
        }
        return null;
    }

    private static boolean isLiteral(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+") || host.contains(":");
    }
}
