package com.mailgov.push.connector;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How mailgov protects a ManageSieve connection. It logs in as a master user that can act for every
 * mailbox, so the password must not cross a network in clear: option {@code tls} is {@code require}
 * (STARTTLS, certificate checked against the trust store and the endpoint's host name) unless the
 * endpoint is this host (loopback), where it defaults to {@code none}. Option {@code tlsTrust} names
 * a PEM file of CA certificates to trust instead of the JVM's (a private CA, a self-signed server).
 */
final class ManageSieveTls {

    private ManageSieveTls() {
    }

    /** The socket factory for STARTTLS, or null for a plain connection. */
    static SSLSocketFactory socketFactory(String host, Map<String, String> options) throws ConnectorException {
        Map<String, String> problems = check(host, options);
        if (!problems.isEmpty()) {
            throw new ConnectorException("ManageSieve TLS settings: " + problems, false);
        }
        if (!required(host, options)) {
            return null;
        }
        String trust = options.get("tlsTrust");
        if (trust == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore(Path.of(trust)));
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConnectorException("ManageSieve TLS: cannot use tlsTrust " + trust + ": " + e.getMessage(), false, e);
        }
    }

    static boolean required(String host, Map<String, String> options) {
        String tls = options.get("tls");
        return tls == null ? !loopback(host) : "require".equals(tls.toLowerCase(Locale.ROOT));
    }

    /** What is wrong with the TLS options, by option name (empty when nothing is). */
    static Map<String, String> check(String host, Map<String, String> options) {
        Map<String, String> problems = new TreeMap<>();
        String tls = options.get("tls");
        if (tls != null && !tls.equalsIgnoreCase("require") && !tls.equalsIgnoreCase("none")) {
            problems.put("tls", "must be require or none");
        }
        String trust = options.get("tlsTrust");
        if (trust != null) {
            if (!required(host, options)) {
                problems.put("tlsTrust", "is used only with tls=require");
            } else {
                try {
                    trustStore(Path.of(trust));
                } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                    problems.put("tlsTrust", "must be a readable PEM file of CA certificates: " + e.getMessage());
                }
            }
        }
        return problems;
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
    }

    private static KeyStore trustStore(Path pem) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + pem);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate c : certificates) {
            store.setCertificateEntry("ca-" + i++, c);
        }
        return store;
    }
}
