package com.mailgov.webhook;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignerTest {

    @Test
    void reproducesTheStandardWebhooksTestVector() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSigner.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330, "{\"test\": 2432232314}"));
    }

    @Test
    void secretsMustBeInTheSpecsForm() {
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThrows(IllegalArgumentException.class, () -> WebhookSigner.key("whsec_c2hvcnQ="));
        assertEquals(32, WebhookSigner.key(WebhookSigner.newSecret()).length);
    }

    @Test
    void theGuardRefusesTheServicesOwnNetworkUnlessAllowed() throws Exception {
        for (String url : new String[]{"http://127.0.0.1:8080/x", "http://localhost/x", "http://10.0.0.5/x",
                "http://192.168.1.1/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://[fd00::1]/x",
                "http://100.64.0.1/x", "http://0.0.0.0/x"}) {
            assertNotNull(WebhookTargetGuard.checkUrl(url, false), url);
            assertNull(WebhookTargetGuard.checkUrl(url, true), url);
        }
        assertNotNull(WebhookTargetGuard.checkUrl("ftp://jira.example.com/x", true));
        assertNotNull(WebhookTargetGuard.checkUrl("https://user:pw@jira.example.com/x", true));
        assertNull(WebhookTargetGuard.checkUrl("https://jira.example.com/rest/webhook", false));
        assertTrue(WebhookTargetGuard.checkAddress(InetAddress.getByName("172.16.3.4")) != null);
        assertNull(WebhookTargetGuard.checkAddress(InetAddress.getByName("203.0.113.10")));
    }
}
