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
 * configuration allows them. Checked at registration and again before every delivery: the name is
 * resolved once, every address it resolves to is checked, and the delivery connects to the checked
 * address (so a name that resolves to a public address for the check and to an internal one for the
 * connection — DNS rebinding — cannot sneak in).
 */
public final class WebhookTargetGuard {

    private WebhookTargetGuard() {
    }

    /** Name resolution: the JDK's resolver in the service, a fixed table in tests (no real DNS there). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * The one address a delivery to {@code host} connects to. The name is resolved once; when
     * private targets are not allowed, every address must pass {@link #checkAddress} (one bad
     * address refuses the name), and the first one is used for the connection — the HTTP client
     * does not resolve the name again.
     *
     * @throws IllegalStateException naming why the target is refused
     */
    public static InetAddress pin(String host, Resolver resolver, boolean allowPrivate) throws UnknownHostException {
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                String refused = checkAddress(address);
                if (refused != null) {
                    throw new IllegalStateException("target " + refused);
                }
            }
        }
        return addresses[0];
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
        if (address instanceof Inet6Address) {
            Inet4Address inside = embeddedIpv4(address.getAddress());
            if (inside != null) {
                String refused = checkAddress(inside);
                return refused == null ? null : refused + " (inside an IPv6 address)";
            }
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

    /**
     * The IPv4 address an IPv6 address carries and that a host may route to: IPv4-compatible
     * ({@code ::a.b.c.d}, e.g. {@code ::7f00:1}), NAT64 ({@code 64:ff9b::/96}) and 6to4
     * ({@code 2002::/16}). (IPv4-mapped {@code ::ffff:a.b.c.d} is already an IPv4 address in Java.)
     */
    static Inet4Address embeddedIpv4(byte[] b) {
        try {
            boolean compatible = true;
            for (int i = 0; i < 12; i++) {
                compatible &= b[i] == 0;
            }
            boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            for (int i = 4; nat64 && i < 12; i++) {
                nat64 = b[i] == 0;
            }
            if (compatible || nat64) {
                return (Inet4Address) InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) { // 6to4
                return (Inet4Address) InetAddress.getByAddress(new byte[]{b[2], b[3], b[4], b[5]});
            }
            return null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isLiteral(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+") || host.contains(":");
    }
}
