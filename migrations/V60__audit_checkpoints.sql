-- Signed checkpoints of the audit chain head (issue #12 item 8). Each one is also written to the
-- log and sent as the webhook event audit.checkpoint, so copies exist outside the database; these
-- rows are only a convenience for verify. Append-only like the chain itself.
CREATE TABLE audit_checkpoint (
    seq        bigint PRIMARY KEY CHECK (seq > 0),
    head_hash  varchar(64)  NOT NULL CHECK (length(head_hash) = 64),
    signed_at  timestamp(6) with time zone NOT NULL,
    key_id     varchar(64)  NOT NULL,
    signature  varchar(200) NOT NULL
);
CREATE TRIGGER audit_checkpoint_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only_table();
CREATE TRIGGER audit_checkpoint_no_truncate
    BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only_table();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoint FROM PUBLIC;
