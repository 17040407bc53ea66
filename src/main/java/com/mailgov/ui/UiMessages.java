package com.mailgov.ui;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The UI's texts: English here, Japanese in {@code messages/msg_ja.properties}. Templates use them
 * as {@code {msg:key}}; the page's locale (cookie, else Accept-Language) picks the language.
 */
@MessageBundle
public interface UiMessages {

    @Message("Action")
    String action();

    @Message("Checked now: the entries after no. {seq}, which this server had verified before.")
    String chain_incremental(long seq);

    @Message("Verify the whole chain")
    String chain_verify_full();

    @Message("Whole chain last verified and compared with the signed checkpoints by this server")
    String chain_full_checked_at();

    @Message("This server has not compared the whole chain with the signed checkpoints since it started.")
    String chain_full_not_yet();

    @Message("My autoreply")
    String nav_my_autoreply();

    @Message("Newer entries")
    String newer();

    @Message("Next page")
    String page_next();

    @Message("Previous page")
    String page_previous();

    @Message("Pages")
    String pages_label();

    @Message("Standard changes")
    String standard_changes();

    @Message("Classes of low-risk changes the policy approves by itself and pushes at once; anything with a WARN or BLOCK finding still goes to an approver. Revoking a class sends its requests to an approver again.")
    String standard_changes_hint();

    @Message("What it approves")
    String standard_change_class();

    @Message("In force")
    String standard_change_in_force();

    @Message("Revoked")
    String standard_change_revoked();

    @Message("Revoke")
    String revoke();

    @Message("Reinstate")
    String reinstate();

    @Message("Create")
    String action_create();

    @Message("Delete")
    String action_delete();

    @Message("Update")
    String action_update();

    @Message("Actor")
    String actor();

    @Message("Add custom rule")
    String add_custom_rule();

    @Message("Add local account")
    String add_user();

    @Message("After")
    String after();

    @Message("All")
    String all();

    @Message("This request has been decided; nothing more to do here.")
    String already_decided();

    @Message("Estimated volume if it loops")
    String amplification();

    @Message("Any")
    String any();

    @Message("Applied as revision")
    String applied_revision();

    @Message("Being applied to the mail servers; this status updates by itself.")
    String applying_hint();

    @Message("Approve")
    String approve();

    @Message("Who gets an answer")
    String audience();

    @Message("Everyone (also outside the company)")
    String audience_all();

    @Message("Only senders inside the company")
    String audience_internal();

    @Message("Audit log")
    String audit_title();

    @Message("Back to the queue")
    String back_to_queue();

    @Message("based on revision")
    String base_revision();

    @Message("Now")
    String before();

    @Message("Before / after")
    String before_after();

    @Message("This request cannot be approved: the policy {rules} blocks it (BLOCK). Reject it with a comment saying what to change, or the requester withdraws it.")
    String blocked_explained(String rules);

    @Message("Message")
    String body();

    @Message("By")
    String by();

    @Message("CEL expression")
    String cel_expression();

    @Message("Sees request and changes; true means the rule fires.")
    String cel_hint();

    @Message("The audit chain is broken at entry {seq}")
    String chain_invalid(long seq);

    @Message("The audit chain does not match its signed checkpoint at entry {seq}")
    String chain_checkpoint_mismatch(long seq);

    @Message("Hash chain verified: {entries} entries intact, head")
    String chain_valid(long entries);

    @Message("Change request")
    String change_request();

    @Message("What changes")
    String changes_title();

    @Message("Comment")
    String comment();

    @Message("Requests by status")
    String counts_label();

    @Message("Created")
    String created();

    @Message("Custom rules (CEL)")
    String custom_rules();

    @Message("Decided by {name}")
    String decided_by(String name);

    @Message("Decision")
    String decision_title();

    @Message("default")
    String default_value();

    @Message("Delete")
    String delete();

    @Message("Department")
    String department();

    @Message("Details")
    String details();

    @Message("The loop: mail goes around this cycle (red) for as long as it runs.")
    String diagram_cycle();

    @Message("The path the finding is about.")
    String diagram_path();

    @Message("Mail flow")
    String diagram_title();

    @Message("Compared with the current directory.")
    String diff_against_current();

    @Message("As submitted (the request is no longer compared with the current directory).")
    String diff_as_stored();

    @Message("Directory")
    String directory_title();

    @Message("{#when kind}{#is 'FORWARD'}forward{#is 'MEMBER'}member{#is 'SUBSCRIPTION'}subscription{#is 'AUTOREPLY'}autoreply{#else}{kind}{/when}")
    String edge(String kind);

    @Message("On")
    String enabled();

    @Message("Export")
    String export();

    @Message("Also answers for (addresses)")
    String extra_addresses();

    @Message("Field")
    String field();

    @Message("Filter")
    String filter();

    @Message("Policy findings")
    String findings_title();

    @Message("From")
    String from();

    @Message("Highest severity")
    String highest_severity();

    @Message("Answer each sender at most once every … days")
    String interval_days();

    @Message("At least 1 (RFC 5230); 0 would answer every message.")
    String interval_hint();

    @Message("Other kinds: JSON items")
    String json_items();

    @Message("Items as in the API: [{\"action\":…, \"kind\":…, \"spec\":{…}}]")
    String json_items_label();

    @Message("Keep a copy in the source mailbox")
    String keep_copy();

    @Message("{#when k}{#is MAILBOX}Mailbox{#is FORWARD}Forward{#is MAILING_LIST}Mailing list{#is LIST_MEMBER}List member{#is EXTERNAL_SUBSCRIPTION}External list subscription{#is AUTOREPLY}Autoreply{/when}")
    String kind(com.mailgov.directory.ObjectKind k);

    @Message("Autoreply (out of office)")
    String kind_autoreply();

    @Message("Forward")
    String kind_forward();

    @Message("Kind")
    String kind_label();

    @Message("You are logged out.")
    String logged_out();

    @Message("Log in")
    String login_button();

    @Message("Wrong username or password.")
    String login_failed();

    @Message("Sessions end after 30 minutes without activity.")
    String login_hint();

    @Message("Log in to mailgov")
    String login_title();

    @Message("Log out")
    String logout();

    @Message("Mailbox")
    String mailbox();

    @Message("Message (English)")
    String message_en();

    @Message("Message (Japanese)")
    String message_ja();

    @Message("Audit")
    String nav_audit();

    @Message("Directory")
    String nav_directory();

    @Message("Main")
    String nav_label();

    @Message("Policies")
    String nav_policies();

    @Message("Queue")
    String nav_queue();

    @Message("New request")
    String nav_submit();

    @Message("Users")
    String nav_users();

    @Message("No custom rules.")
    String no_custom_rules();

    @Message("none")
    String no_findings();

    @Message("No policy found a problem with this request.")
    String no_findings_long();

    @Message("Nothing found.")
    String nothing_found();

    @Message("Object")
    String object();

    @Message("Older entries")
    String older();

    @Message("Oldest first")
    String oldest_first();

    @Message("Only approvers (Systems Dept.) decide requests.")
    String only_approvers();

    @Message("optional")
    String optional();

    @Message("Override reason")
    String override_reason();

    @Message("You submitted this request, so you cannot approve or reject it: another approver must decide (four eyes). You can withdraw it.")
    String own_request_explained();

    @Message("Parameters")
    String parameters();

    @Message("Password")
    String password();

    @Message("Path")
    String path();

    @Message("messages per hour")
    String per_hour();

    @Message("Policies")
    String policies_title();

    @Message("policy version")
    String policy_version();

    @Message("The preview is shown while a request waits for a decision.")
    String preview_only_pending();

    @Message("What the mail servers will receive")
    String preview_title();

    @Message("No preview")
    String preview_unavailable();

    @Message("No requests match.")
    String queue_empty();

    @Message("Change requests")
    String queue_title();

    @Message("Reason")
    String reason();

    @Message("Reject")
    String reject();

    @Message("What to do")
    String remedy();

    @Message("(removed)")
    String removed();

    @Message("(another department's configuration: not shown)")
    String redacted();

    @Message("Request")
    String request_legend();

    @Message("required")
    String required();

    @Message("required: this request has warnings")
    String required_for_warn();

    @Message("Revision")
    String revision();

    @Message("Revision history")
    String revision_history();

    @Message("Revisions")
    String revisions();

    @Message("Roles")
    String roles();

    @Message("Rule")
    String rule();

    @Message("Rule id (custom-…)")
    String rule_id();

    @Message("Save as a new policy version")
    String save_new_version();

    @Message("Address contains")
    String search_address();

    @Message("{#when s}{#is BLOCK}BLOCK{#is WARN}WARN{#is INFO}INFO{/when}")
    String severity(com.mailgov.policy.Severity s);

    @Message("Severity")
    String severity_label();

    @Message("Since revision")
    String since_revision();

    @Message("Skip to content")
    String skip_to_content();

    @Message("Address to forward")
    String source();

    @Message("{#when s}{#is SUBMITTED}Submitted{#is APPROVED}Approved{#is REJECTED}Rejected{#is WITHDRAWN}Withdrawn{#is APPLYING}Applying{#is APPLIED}Applied{#is FAILED}Failed{#else}{s}{/when}")
    String status(com.mailgov.change.ChangeStatus s);

    @Message("Status")
    String status_label();

    @Message("Subject")
    String subject();

    @Message("Submit autoreply")
    String submit_autoreply();

    @Message("Submit forward")
    String submit_forward();

    @Message("Submit JSON items")
    String submit_json();

    @Message("New change request")
    String submit_title();

    @Message("Submitted")
    String submitted_at();

    @Message("Submitted by")
    String submitted_by();

    @Message("日本語")
    String switch_language();

    @Message("Deliver to")
    String targets();

    @Message("one or more addresses, separated by commas or lines")
    String targets_hint();

    @Message("Ticket")
    String ticket();

    @Message("Times are shown in {zone}.")
    String times_in(String zone);

    @Message("Title")
    String title();

    @Message("To")
    String to();

    @Message("Username")
    String username();

    @Message("Local accounts")
    String users_title();

    @Message("When")
    String when();

    @Message("Withdraw my request")
    String withdraw();

    @Message("Actions")
    String actions();

    @Message("On the server")
    String actual();

    @Message("Attempts")
    String attempts();

    @Message("Check drift now")
    String check_drift_now();

    @Message("checked")
    String checked_at();

    @Message("Approved")
    String desired();

    @Message("{count} differences")
    String differences(Integer count);

    @Message("disabled")
    String disabled();

    @Message("Drift")
    String drift();

    @Message("cannot read")
    String drift_error();

    @Message("{server} compared with revision {revision}")
    String drift_report(String server, long revision);

    @Message("Endpoint")
    String endpoint();

    @Message("in sync")
    String in_sync();

    @Message("Last error")
    String last_error();

    @Message("Mail servers")
    String nav_servers();

    @Message("next attempt")
    String next_attempt();

    @Message("No mail servers are registered.")
    String no_servers();

    @Message("not checked yet")
    String not_checked();

    @Message("Pending jobs")
    String pending_jobs();

    @Message("Problem")
    String problem();

    @Message("{#when s}{#is PENDING}pending{#is APPLIED}applied{#is FAILED}failed{#else}{s}{/when}")
    String push_status(com.mailgov.push.pipeline.PushJob.Status s);

    @Message("Push to each mail server")
    String pushes_caption();

    @Message("Reconcile")
    String reconcile();

    @Message("Reconcile queued: the server will be brought back to the approved state.")
    String reconcile_queued();

    @Message("Restore")
    String restore();

    @Message("Restore revision {number}")
    String restore_button(long number);

    @Message("Retry the failed pushes")
    String retry_push();

    @Message("Server")
    String server();

    @Message("Mail servers")
    String servers_title();

    @Message("Account")
    String account_state();

    @Message("{#if enabled}Active{#else}Disabled{/if}")
    String account_state_value(boolean enabled);

    @Message("May log in")
    String may_log_in();

    @Message("Edit local account")
    String edit_user();

    @Message("Save")
    String save_user();

    @Message("Saved.")
    String user_saved();

    @Message("Set a new password")
    String reset_password();

    @Message("New password")
    String new_password();

    @Message("The new password is set.")
    String password_was_reset();

    @Message("Departments")
    String departments_title();

    @Message("Add department")
    String add_department();

    @Message("Code")
    String department_code();

    @Message("Name")
    String department_name();

    @Message("Company domains")
    String domains_title();

    @Message("Addresses in these domains are the company's; every other address is external. Removing a domain that directory objects still use is refused and lists them.")
    String domains_help();

    @Message("Domain")
    String domain();

    @Message("Source")
    String domain_source();

    @Message("Directory complete")
    String domain_complete();

    @Message("{complete ? 'yes: unknown addresses are findings' : 'no'}")
    String domain_complete_value(boolean complete);

    @Message("Add domain")
    String add_domain();

    @Message("Remove")
    String remove_domain();

    @Message("{complete ? 'Mark incomplete' : 'Mark complete'}")
    String toggle_domain_complete(boolean complete);
    @Message("Mode")
    String mode_label();

    @Message("OBSERVE: read only")
    String mode_observe();

    @Message("ENFORCE")
    String mode_enforce();

    @Message("Plan")
    String view_plan();

    @Message("Plan for {server}")
    String plan_title(String server);

    @Message("Switching to ENFORCE makes exactly these writes, nothing else. What the server holds that mailgov does not manage is listed below: it is never changed or removed.")
    String plan_intro();

    @Message("{count} writes")
    String plan_writes(Integer count);

    @Message("Nothing to write: the server already holds what is approved.")
    String plan_no_writes();

    @Message("{count} unmanaged artifacts (reported, never written)")
    String plan_unmanaged(Integer count);

    @Message("Confirm this plan and switch to ENFORCE")
    String plan_confirm();

    @Message("Plan hash")
    String plan_hash();

    @Message("Back to OBSERVE")
    String switch_to_observe();

    @Message("Change")
    String change_label();

    @Message("ENFORCE confirmed: the plan's writes are queued.")
    String enforced_notice();

    @Message("The server is in ENFORCE mode: approved changes are written to it.")
    String plan_already_enforced();

    @Message("Risk report")
    String nav_risk();

    @Message("Day-one risk report")
    String risk_title();

    @Message("Every loop risk over the whole directory (revision {revision}, policy version {policy}), with what the mail servers hold but mailgov does not manage, most amplifying first.")
    String risk_intro(long revision, long policy);

    @Message("Loop risks ({count})")
    String risk_loops(int count);

    @Message("No loop risk found")
    String risk_none();

    @Message("Messages per hour")
    String risk_per_hour();

    @Message("Path")
    String risk_path();

    @Message("What happens")
    String risk_what();

    @Message("Remedy")
    String risk_remedy();

    @Message("not managed")
    String risk_unmanaged();

    @Message("Responders on the servers that mailgov does not manage")
    String risk_responders();

    @Message("What the servers hold that could not be imported")
    String risk_unmanaged_artifacts();

    @Message("Nothing.")
    String risk_none_unmanaged();

    @Message("Artifact")
    String risk_artifact();

    @Message("Reason")
    String risk_reason();
}
