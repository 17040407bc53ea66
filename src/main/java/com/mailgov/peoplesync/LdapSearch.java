package com.mailgov.peoplesync;

import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.Control;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.PagedResultsControl;
import javax.naming.ldap.PagedResultsResponseControl;
import javax.naming.ldap.StartTlsRequest;
import javax.naming.ldap.StartTlsResponse;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads people from an LDAP server with the JDK's own LDAP client (JNDI), read-only: one subtree
 * search in pages, the mapped attributes only. TLS is ldaps:// or StartTLS, both with the JDK's
 * certificate and host name checks (JNDI never falls back to plain text when StartTLS fails);
 * plain LDAP is accepted for loopback only ({@link DirectorySourceService}). The URL always names
 * a host, so JNDI makes no DNS SRV lookups of its own; referrals are not followed.
 */
final class LdapSearch {

    /** An entry as read: its DN and the values of the attributes asked for, by lower-case name. */
    record Entry(String dn, Map<String, List<String>> values) {
        List<String> all(String attribute) {
            return attribute == null ? List.of() : values.getOrDefault(attribute.toLowerCase(Locale.ROOT), List.of());
        }

        String first(String attribute) {
            List<String> v = all(attribute);
            return v.isEmpty() ? null : v.get(0);
        }
    }

    /** {@code trust} null: the JVM's trust store. */
    record Settings(String url, boolean startTls, SSLSocketFactory trust, String bindDn, String password, String baseDn,
                    String filter, List<String> attributes) {
    }

    static final int PAGE_SIZE = 500;
    /** A directory larger than this is refused rather than half read. */
    static final int MAX_ENTRIES = 200_000;
    private static final String CONNECT_TIMEOUT_MS = "5000";
    private static final String READ_TIMEOUT_MS = "30000";

    private LdapSearch() {
    }

    /** Every entry under the base DN that matches the filter; a partial read is an exception, never a short list. */
    static List<Entry> search(Settings s) throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, s.url());
        env.put(Context.REFERRAL, "ignore");
        env.put("com.sun.jndi.ldap.connect.timeout", CONNECT_TIMEOUT_MS);
        env.put("com.sun.jndi.ldap.read.timeout", READ_TIMEOUT_MS);
        env.put("com.sun.jndi.ldap.connect.pool", "false");
        if (!s.startTls()) {
            credentials(env, s);
        }
        boolean ldaps = s.url().regionMatches(true, 0, "ldaps:", 0, 6);
        if (ldaps && s.trust() != null) {
            env.put("java.naming.ldap.factory.socket", SourceTrust.class.getName());
        }
        LdapContext ctx;
        SourceTrust.use(s.trust());
        try {
            ctx = new InitialLdapContext(env, null);
        } finally {
            SourceTrust.done();
        }
        StartTlsResponse tls = null;
        try {
            if (s.startTls()) {
                try {
                    tls = (StartTlsResponse) ctx.extendedOperation(new StartTlsRequest());
                    // Either factory checks the certificate chain; negotiate() then checks the host name.
                    if (s.trust() == null) {
                        tls.negotiate();
                    } else {
                        tls.negotiate(s.trust());
                    }
                } catch (NamingException e) {
                    NamingException ne = new NamingException("StartTLS failed: " + e.getExplanation());
                    ne.setRootCause(e);
                    throw ne;
                } catch (IOException e) {
                    NamingException ne = new NamingException("StartTLS failed: " + e.getMessage());
                    ne.setRootCause(e);
                    throw ne;
                }
                // Bind only now, inside TLS: JNDI binds with changed credentials on the same
                // connection at the next operation (reconnect() would open a new, plain one).
                Hashtable<String, Object> bind = new Hashtable<>();
                credentials(bind, s);
                for (Map.Entry<String, Object> e : bind.entrySet()) {
                    ctx.addToEnvironment(e.getKey(), e.getValue());
                }
            }
            return pages(ctx, s);
        } finally {
            if (tls != null) {
                try {
                    tls.close();
                } catch (IOException ignored) {
                    // closing the context below ends the connection anyway
                }
            }
            ctx.close();
        }
    }

    private static void credentials(Hashtable<String, Object> env, Settings s) {
        if (s.bindDn() == null) {
            env.put(Context.SECURITY_AUTHENTICATION, "none");
        } else {
            env.put(Context.SECURITY_AUTHENTICATION, "simple");
            env.put(Context.SECURITY_PRINCIPAL, s.bindDn());
            env.put(Context.SECURITY_CREDENTIALS, s.password());
        }
    }

    private static List<Entry> pages(LdapContext ctx, Settings s) throws NamingException {
        SearchControls controls = new SearchControls();
        controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
        controls.setReturningAttributes(s.attributes().toArray(String[]::new));
        controls.setTimeLimit(Integer.parseInt(READ_TIMEOUT_MS));
        List<Entry> entries = new ArrayList<>();
        byte[] cookie = null;
        try {
            ctx.setRequestControls(new Control[]{new PagedResultsControl(PAGE_SIZE, Control.NONCRITICAL)});
        } catch (IOException e) {
            throw new NamingException("cannot ask for paged results: " + e.getMessage());
        }
        do {
            NamingEnumeration<SearchResult> results = ctx.search(s.baseDn(), s.filter(), controls);
            try {
                while (results.hasMore()) {
                    if (entries.size() >= MAX_ENTRIES) {
                        throw new NamingException("more than " + MAX_ENTRIES + " entries match; narrow the base DN or filter");
                    }
                    entries.add(entry(results.next()));
                }
            } finally {
                results.close();
            }
            cookie = null;
            Control[] response = ctx.getResponseControls();
            if (response != null) {
                for (Control c : response) {
                    if (c instanceof PagedResultsResponseControl paged) {
                        cookie = paged.getCookie();
                    }
                }
            }
            if (cookie != null && cookie.length > 0) {
                try {
                    ctx.setRequestControls(new Control[]{new PagedResultsControl(PAGE_SIZE, cookie, Control.CRITICAL)});
                } catch (IOException e) {
                    throw new NamingException("cannot ask for the next page: " + e.getMessage());
                }
            }
        } while (cookie != null && cookie.length > 0);
        return entries;
    }

    private static Entry entry(SearchResult result) throws NamingException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        NamingEnumeration<? extends Attribute> attributes = result.getAttributes().getAll();
        while (attributes.hasMore()) {
            Attribute attribute = attributes.next();
            List<String> list = new ArrayList<>();
            NamingEnumeration<?> all = attribute.getAll();
            while (all.hasMore()) {
                Object v = all.next();
                list.add(v instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(v));
            }
            // An attribute asked for with options (e.g. ";binary") keeps its base name.
            String id = attribute.getID().toLowerCase(Locale.ROOT);
            int option = id.indexOf(';');
            values.put(option < 0 ? id : id.substring(0, option), List.copyOf(list));
        }
        return new Entry(result.getNameInNamespace(), values);
    }
}
