package com.mailgov.policy.facts;

import com.mailgov.directory.spec.DirectorySpec;

/**
 * Something the mail servers (or the mail path) show that mailgov does not manage, stated as a
 * directory object so the loop rules see it like any other: a hand-made Sieve responder as an
 * {@code AutoreplySpec}, a Sieve redirect to a fixed address as a {@code ForwardSpec}, a
 * subscription the loop guard saw as an {@code ExternalSubscriptionSpec}.
 *
 * @param source  who reported it, e.g. {@code dovecot:3} or {@code loop-guard}
 * @param origin  where exactly, for people: {@code Sieve script "roundcube" of suzuki@corp.example, line 4 (notify)}
 * @param spec    the object as the loop engine should see it
 * @param ignoresListHeaders for an autoreply: it answers list and bulk mail too (a Sieve
 *                notify/redirect/reject responder does; RFC 5230 vacation does not), so a list's
 *                List-* headers do not stop it
 */
public record ObservedFact(String source, String origin, DirectorySpec spec, boolean ignoresListHeaders) {

    public ObservedFact(String source, String origin, DirectorySpec spec) {
        this(source, origin, spec, false);
    }
}
