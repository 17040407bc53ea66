package com.mailgov.selfservice;

import com.mailgov.directory.DirectoryCache;
import com.mailgov.directory.DirectoryEntry;
import com.mailgov.directory.DirectoryService;
import com.mailgov.directory.MailAddresses;
import com.mailgov.directory.ObjectKind;
import com.mailgov.directory.spec.MailboxSpec;
import com.mailgov.security.CurrentActor;
import com.mailgov.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;

/**
 * Whose mailbox a signed-in person may manage: the one at their account's own mail address (local
 * accounts' {@code email}, Keycloak's {@code email} claim), and only if the directory has a MAILBOX
 * there. Any other mailbox named in a URL or a form is refused with 403.
 */
@ApplicationScoped
public class OwnMailbox {

    @Inject
    CurrentActor actor;

    @Inject
    DirectoryService directory;

    @Inject
    DirectoryCache cache;

    /** The caller's own mailbox: its address, display name and owning department. */
    public record Mailbox(String address, String displayName, String department) {
    }

    public Mailbox resolve() {
        String email = actor.email().orElseThrow(() ->
                ApiException.forbidden("Your account has no mail address of its own, so it has no mailbox to manage"));
        MailAddresses.Result normalised = MailAddresses.normalise(email);
        if (!normalised.ok()) {
            throw ApiException.forbidden("Your account's mail address " + email + " is not a valid address");
        }
        String address = normalised.address();
        cache.refreshTo(directory.currentRevision());
        DirectoryEntry entry = cache.read(view -> view.get(ObjectKind.MAILBOX, address)).orElseThrow(() ->
                ApiException.forbidden("Your mail address " + address + " is not a mailbox in the directory; ask your department's IT"));
        MailboxSpec spec = (MailboxSpec) entry.spec();
        return new Mailbox(address, spec.displayName(), entry.department());
    }

    /**
     * The caller's own mailbox, refusing with 403 when {@code named} (from a URL or a form field)
     * is some other address: nobody reaches another person's mailbox by editing the request.
     */
    public Mailbox resolve(String named) {
        Mailbox own = resolve();
        if (named != null && !named.isBlank() && !named.trim().toLowerCase(Locale.ROOT).equals(own.address().toLowerCase(Locale.ROOT))) {
            throw ApiException.forbidden("mailbox", "You can only manage your own mailbox's autoreply (" + own.address() + ")");
        }
        return own;
    }
}
