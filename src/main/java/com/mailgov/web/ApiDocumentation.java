package com.mailgov.web;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/** The published contract's header: both ways to authenticate. Errors are RFC 9457 problem documents. */
@OpenAPIDefinition(
        info = @Info(title = "mailgov API", version = "1",
                description = "Policy-driven mail governance: change requests, loop-risk findings, four-eyes approval, "
                        + "tamper-evident audit. Every error is an RFC 9457 application/problem+json document with a "
                        + "stable type (urn:mailgov:problem:…), a detail, and the offending field(s)."),
        security = {@SecurityRequirement(name = "basic"), @SecurityRequirement(name = "bearer")})
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = "basic", type = SecuritySchemeType.HTTP, scheme = "basic",
                description = "Local accounts (embedded default)"),
        @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
                bearerFormat = "JWT", description = "Keycloak access token (when OIDC is configured)")})
public class ApiDocumentation extends Application {
}
