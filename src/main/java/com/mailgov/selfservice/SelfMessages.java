package com.mailgov.selfservice;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Texts of the employee's pages: English here, Japanese in {@code messages/self_ja.properties}. */
@MessageBundle("self")
public interface SelfMessages {

    @Message("My autoreply")
    String title();

    @Message("Your mailbox")
    String mailbox();

    @Message("Status on the mail servers")
    String state();

    @Message("No autoreply is set.")
    String state_none();

    @Message("Active: senders get the reply now.")
    String state_active();

    @Message("On the mail servers; it answers from the start time.")
    String state_pushed_waiting();

    @Message("On the mail servers; its period has ended.")
    String state_pushed_ended();

    @Message("Being applied to the mail servers; this page updates when you reload it.")
    String state_applying();

    @Message("Waiting for an approver of the Systems Dept. (a finding needs a person's look).")
    String state_waiting_approval();

    @Message("The last change was refused: {reason}")
    String state_refused(String reason);

    @Message("Pushing to a mail server failed; the Systems Dept. can retry it.")
    String state_failed();

    @Message("Approved by policy (standard change {id}).")
    String approved_by_policy(String id);

    @Message("Approved by {who}.")
    String approved_by(String who);

    @Message("Subject")
    String subject();

    @Message("Text of the reply")
    String body();

    @Message("From")
    String starts_at();

    @Message("Until")
    String ends_at();

    @Message("Times are in {zone}.")
    String times_in(String zone);

    @Message("Who gets the reply")
    String audience();

    @Message("Only senders inside the company")
    String audience_internal();

    @Message("Everyone, also outside the company")
    String audience_all();

    @Message("Days before the same sender is answered again")
    String interval_days();

    @Message("Save")
    String save();

    @Message("Turn the autoreply off")
    String remove();

    @Message("Saved.")
    String saved();

    @Message("The autoreply is being turned off.")
    String removed();

    @Message("The reply as senders receive it")
    String preview();

    @Message("The Sieve script on the mail server")
    String sieve();

    @Message("Please check the marked fields.")
    String check_fields();

    @Message("You cannot open this page")
    String denied();
}
