package com.mailgov.peoplesync;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the directory-source API takes and returns. */
public final class DirectorySourceDtos {

    private DirectorySourceDtos() {
    }

    /** Which LDAP attribute holds what; omitted ones take the defaults shown. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttributeMapping(
            @Schema(description = "Primary address (default mail; Active Directory: mail)") String mail,
            @Schema(description = "Display name, Japanese included (default displayName)") String displayName,
            @Schema(description = "Department value mapped through departments (default departmentNumber; AD: department)") String department,
            @Schema(description = "AttributeMapping with further addresses: proxyAddresses (smtp:/SMTP: values) and/or mail (its values after the first); default [proxyAddresses, mail]")
            List<String> aliases,
            @Schema(description = "Leaving date (AD accountExpires, an LDAP generalized time, or yyyy-MM-dd = the end of that day in the company's zone); none by default")
            String leavingDate) {

        static final AttributeMapping DEFAULTS = new AttributeMapping("mail", "displayName", "departmentNumber",
                List.of("proxyAddresses", "mail"), null);
    }

    public record DirectorySourceRequest(
            @Schema(description = "Unique name, 1–64 of A-Z a-z 0-9 . _ -") String name,
            @Schema(description = "ldaps://host:636 or ldap://host:389 (StartTLS); plain LDAP only to loopback") String url,
            @Schema(description = "For ldap:// URLs: negotiate StartTLS before binding (default true)") Boolean startTls,
            @Schema(description = "PEM certificate(s) of the CA the server's certificate must chain to (e.g. the company's internal CA); omit for the JVM's trust store")
            String caCertificate,
            @Schema(description = "Bind DN; omit for an anonymous bind") String bindDn,
            @Schema(description = "The bind password by reference: env:MAILGOV_SECRET_… or file:/… (the mail servers' allow-list)")
            String credentialRef,
            String baseDn,
            @Schema(description = "LDAP filter (default (objectClass=inetOrgPerson)); entries without mail are reported, so do not filter on mail")
            String filter,
            AttributeMapping attributes,
            @Schema(description = "Directory department value → mailgov department code (e.g. {\"営業一部\": \"SALES1\"})")
            Map<String, String> departments,
            @Schema(description = "How often to sync, ISO-8601 (PT1H); at least PT5M; omit for on demand only") String syncInterval,
            Boolean enabled) {
    }

    public record DirectorySourceView(long id, String name, String url, boolean startTls, String caCertificate, String bindDn,
                                      String credentialRef,
                             String baseDn, String filter, AttributeMapping attributes, Map<String, String> departments,
                             String syncInterval, boolean enabled, Instant createdAt, Instant updatedAt, SyncRunSummary lastRun) {
    }

    public record SyncRunSummary(long id, String status, Instant startedAt, Instant finishedAt, int entries) {
    }

    public record SyncRunView(long id, long source, String triggeredBy, Instant startedAt, Instant finishedAt, String status,
                          int entries,
                          @JsonRawValue @Schema(type = SchemaType.OBJECT, implementation = SyncReport.class) String report) {
    }

    /** What a run did; stored with the run and returned by the API. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SyncReport(String error, long durationMillis,
                             @Schema(description = "Of durationMillis: connecting, binding and reading the directory") Long ldapMillis,
                             int entries, int people, int unchanged,
                             List<SyncProposal> proposals, List<DirectoryEntryProblem> problems, List<String> pending) {
    }

    /** One change request the run submitted (or tried to). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SyncProposal(
            @Schema(description = "JOINERS (standard change directory-joiners), MOVES (standard change directory-moves) or LEAVER (needs an approver)")
            String kind, String department, List<String> people, int items, UUID changeRequest, String status,
            String standardChange, String error) {
    }

    /** An entry, or part of one, the run could not use, and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DirectoryEntryProblem(String dn, String address, String problem, boolean skipped) {
    }
}
