package com.mailgov.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * openapi/mailgov.yaml is the published contract: it must be exactly what the service serves.
 * When the API changes on purpose, copy target/openapi-served.yaml over it and review the diff.
 */
@QuarkusTest
class OpenApiContractTest {

    @Test
    void committedContractMatchesWhatTheServiceServes() throws Exception {
        String served = RestAssured.given().accept("application/yaml").get("/q/openapi?format=yaml")
                .then().statusCode(200).extract().asString();
        Path committed = Path.of("openapi", "mailgov.yaml");
        Files.writeString(Path.of("target", "openapi-served.yaml"), served, StandardCharsets.UTF_8);
        String expected = Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";
        assertEquals(expected.strip(), served.strip(),
                "openapi/mailgov.yaml differs from the served document; see target/openapi-served.yaml");
    }
}
