package com.mailgov.web;

import com.mailgov.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12 (low): behind an ingress the audit records the client's address from X-Forwarded-For,
 * but only when the connection comes from a trusted proxy (mailgov.http.trusted-proxies; in tests
 * 127.0.0.2 plays the ingress). Anyone else's X-Forwarded-For is ignored, so nobody can choose the
 * address written into the audit log.
 */
@QuarkusTest
class TrustedProxyTest {

    /** Creates a department over a connection from {@code from}, claiming to forward for 203.0.113.7. */
    private static String createDepartmentFrom(String from) throws IOException {
        String code = Api.unique("XFF");
        byte[] body = ("{\"code\":\"" + code + "\",\"name\":\"転送\"}").getBytes(StandardCharsets.UTF_8);
        String auth = Base64.getEncoder().encodeToString(("admin:" + Api.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0)); // any 127.x address is loopback on Linux
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/departments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + auth
                    + "\r\nX-Forwarded-For: 203.0.113.7\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 201"), response);
        }
        return code;
    }

    private static void assertAuditedFrom(String code, String address) {
        Api.admin().get("/api/v1/audit?object={code}", code).then().statusCode(200)
                .body("entries[0].action", equalTo("department.created"))
                .body("entries[0].sourceIp", equalTo(address));
    }

    @Test
    void theForwardedClientAddressIsAuditedOnlyWhenATrustedProxySendsIt() throws IOException {
        assertAuditedFrom(createDepartmentFrom("127.0.0.1"), "127.0.0.1"); // not a trusted proxy: its header is ignored
        assertAuditedFrom(createDepartmentFrom("127.0.0.2"), "203.0.113.7"); // the ingress: the client it forwards for
    }
}
