package com.mailgov.guard.detect;

import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.ObjectKind;
import com.mailgov.security.Access;
import io.quarkus.security.PermissionsAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/** Subscriptions the mail path shows and whether the directory has them registered. */
@Path("/api/v1/directory/observed-subscriptions")
@Tag(name = "directory")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(Access.REVIEW)
public class ObservedSubscriptionResource {

    public record ObservedSubscriptionView(String mailbox, String listAddress, String listId, Instant firstSeen, Instant lastSeen,
                                           long messages, String status) {
    }

    @Inject
    ObservedSubscriptions observed;

    @Inject
    DirectoryCache cache;

    @Inject
    DirectoryService directory;

    @GET
    @Transactional
    @Operation(summary = "Subscriptions to outside lists seen on the mail path; status 'observed, not registered' until registered")
    public List<ObservedSubscriptionView> list() {
        cache.refreshTo(directory.currentRevision());
        return cache.read(view -> observed.list().stream().map(o -> new ObservedSubscriptionView(o.mailbox(), o.listAddress(), o.listId(),
                o.firstSeen(), o.lastSeen(), o.messages(),
                view.exists(ObjectKind.EXTERNAL_SUBSCRIPTION, ObjectKind.pairKey(o.mailbox(), o.listAddress()))
                        ? "registered" : "observed, not registered")).toList());
    }
}
