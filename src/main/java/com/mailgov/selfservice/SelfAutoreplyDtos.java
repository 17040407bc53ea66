package com.mailgov.selfservice;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.mailgov.change.ChangeStatus;
import com.mailgov.directory.spec.AutoreplySpec;
import com.mailgov.push.pipeline.PushOutbox;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** What the self-service autoreply API takes and returns. */
public final class SelfAutoreplyDtos {

    private SelfAutoreplyDtos() {
    }

    /** An absence: the reply and when it runs. Times carry their offset (e.g. 2026-12-01T09:00+09:00). */
    public record Absence(
            @Schema(description = "Optional; if given it must be the caller's own mailbox (else 403)") String mailbox,
            String subject, String body, OffsetDateTime startsAt, OffsetDateTime endsAt,
            @Schema(description = "INTERNAL (senders inside the company) or ALL") AutoreplySpec.Audience audience,
            @Schema(description = "Days before the same sender is answered again; default 7") Integer intervalDays) {
    }

    /** The autoreply in the approved directory (what the mail servers should hold). */
    public record Autoreply(String subject, String body, Instant startsAt, Instant endsAt, Integer intervalDays,
                            AutoreplySpec.Audience audience) {
    }

    /** The newest change request about this autoreply and how far it got. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LastRequest(UUID id, ChangeStatus status, String standardChange, String decidedBy, Instant createdAt,
                              Instant decidedAt, List<PushOutbox.PushView> pushes) {
    }

    /** The reply exactly as a sender would receive it, and the Sieve script that sends it. */
    public record ReplyPreview(String from, String subject, String autoSubmitted, String body, String sieveScript) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SelfAutoreplyView(String mailbox, String displayName, String department,
                                    @Schema(description = "In the approved directory; absent: none") Autoreply autoreply,
                                    LastRequest lastRequest,
                                    @Schema(description = "The approved autoreply has reached every mail server") boolean pushed,
                                    @Schema(description = "Pushed, and now is within its period: senders get the reply") boolean active,
                                    ReplyPreview preview) {
    }
}
