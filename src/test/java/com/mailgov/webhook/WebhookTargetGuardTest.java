package com.mailgov.webhook;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 (low): IPv6 spellings of loopback and private IPv4 addresses are refused too, and a
 * delivery connects to the address that was checked (DNS rebinding). Names are resolved by a fixed
 * table here, never by real DNS; WebhookDeliveryTest shows the delivery really goes to the pinned address.
 */
class WebhookTargetGuardTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aNameThatRebindsToLoopbackAfterTheCheckIsStillDeliveredToTheCheckedAddress() throws Exception {
        // an attacker's DNS answers a public address first and 127.0.0.1 to every later lookup
        AtomicInteger lookups = new AtomicInteger();
        WebhookTargetGuard.Resolver rebinding = host -> new InetAddress[]{
                lookups.getAndIncrement() == 0 ? ip("93.184.216.34") : ip("127.0.0.1")};
        InetAddress pinned = WebhookTargetGuard.pin("hooks.attacker.test", rebinding, false);
        assertEquals("93.184.216.34", pinned.getHostAddress(), "the connection goes to the checked address");
        assertEquals(1, lookups.get(), "the name is resolved once, so there is no second answer to rebind to");
    }

    @Test
    void aNameWithOneInternalAddressAmongPublicOnesIsRefused() {
        WebhookTargetGuard.Resolver mixed = host -> new InetAddress[]{ip("93.184.216.34"), ip("169.254.169.254")};
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> WebhookTargetGuard.pin("hooks.attacker.test", mixed, false));
        assertTrue(refused.getMessage().contains("link-local"), refused.getMessage());
        WebhookTargetGuard.Resolver loopback = host -> new InetAddress[]{ip("::1")};
        assertThrows(IllegalStateException.class, () -> WebhookTargetGuard.pin("hooks.attacker.test", loopback, false));
        assertThrows(UnknownHostException.class, () -> WebhookTargetGuard.pin("nothing.test", host -> new InetAddress[0], false));
    }

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
