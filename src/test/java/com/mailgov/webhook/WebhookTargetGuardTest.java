package com.mailgov.webhook;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Issue 12 (low): IPv6 spellings of loopback and private IPv4 addresses are refused too. */
class WebhookTargetGuardTest {

    @Test
    void ipv6AddressesThatCarryALoopbackOrPrivateIpv4AddressAreRefused() {
        for (String url : new String[]{"http://[::7f00:1]/hook", "http://[::127.0.0.1]/hook", "http://[64:ff9b::7f00:1]/hook",
                "http://[64:ff9b::a9fe:a9fe]/latest/meta-data", "http://[2002:7f00:1::]/hook", "http://[2002:a00:1::1]/hook",
                "http://[::ffff:10.0.0.1]/hook", "http://[::]/hook"}) {
            assertNotNull(WebhookTargetGuard.checkUrl(url, false), url);
        }
    }

    @Test
    void publicAddressesStayAllowed() {
        for (String url : new String[]{"https://[2002:808:808::1]/hook", "https://[64:ff9b::808:808]/hook",
                "https://[2001:db8::1]/hook", "https://93.184.216.34/hook"}) {
            assertNull(WebhookTargetGuard.checkUrl(url, false), url);
        }
    }
}
