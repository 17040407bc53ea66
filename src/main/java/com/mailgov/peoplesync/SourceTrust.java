package com.mailgov.peoplesync;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * TLS trust for one directory source: the JVM's trust store, or only the CA certificates the
 * source names (a company's internal CA). Certificate chain and host name are checked either way.
 * JNDI takes a socket factory for ldaps:// only by class name ({@code getDefault()}), so the
 * factory for the current search is handed over in a thread-local while the connection opens.
 */
public final class SourceTrust extends SocketFactory {

    private static final ThreadLocal<SSLSocketFactory> CURRENT = new ThreadLocal<>();
    private static final int MAX_CERTIFICATES = 10;

    /** The factory trusting only the given PEM certificates; an exception says what is wrong with them. */
    static SSLSocketFactory trusting(String pem) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        if (certificates.isEmpty() || certificates.size() > MAX_CERTIFICATES) {
            throw new GeneralSecurityException("expected 1–" + MAX_CERTIFICATES + " PEM certificates");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (Certificate c : certificates) {
            store.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    static void use(SSLSocketFactory factory) {
        CURRENT.set(factory);
    }

    static void done() {
        CURRENT.remove();
    }

    /** Called by JNDI (java.naming.ldap.factory.socket) while the current search opens its connection. */
    public static SocketFactory getDefault() {
        SSLSocketFactory factory = CURRENT.get();
        if (factory == null) {
            throw new IllegalStateException("no directory source TLS factory for this thread");
        }
        return factory;
    }

    // JNDI only calls getDefault(); these exist because SocketFactory is abstract.
    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return getDefault().createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return getDefault().createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return getDefault().createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return getDefault().createSocket(address, port, localAddress, localPort);
    }
}
