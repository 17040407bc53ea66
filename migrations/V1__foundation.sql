-- mailgov foundation schema: departments, local accounts, the versioned directory,
-- change requests with their items, idempotency records and the hash-chained audit log.
-- Sequences use INCREMENT BY 50 to match Hibernate's pooled allocation.

CREATE TABLE department (
    id          bigint PRIMARY KEY,
    code        varchar(32)  NOT NULL UNIQUE,
    name        varchar(200) NOT NULL,
    created_at  timestamp(6) with time zone NOT NULL
);
CREATE SEQUENCE department_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE local_user (
    id              bigint PRIMARY KEY,
    username        varchar(64)  NOT NULL UNIQUE,
    password_hash   varchar(100) NOT NULL,
    roles           varchar(200) NOT NULL,
    department_code varchar(32)  REFERENCES department (code),
    created_at      timestamp(6) with time zone NOT NULL
);
CREATE SEQUENCE local_user_seq START WITH 1 INCREMENT BY 50;

-- Desired state. Revision 0 is the empty directory; every approval adds one.
CREATE TABLE directory_revision (
    number            bigint PRIMARY KEY,
    change_request_id uuid,
    created_by        varchar(100) NOT NULL,
    created_at        timestamp(6) with time zone NOT NULL
);
INSERT INTO directory_revision (number, change_request_id, created_by, created_at)
VALUES (0, NULL, 'system', now());

-- The head row serialises approvals: UPDATE ... RETURNING hands out the next revision.
CREATE TABLE directory_head (
    id       int PRIMARY KEY CHECK (id = 1),
    revision bigint NOT NULL
);
INSERT INTO directory_head (id, revision) VALUES (1, 0);

-- Every version of every directory object. A row is valid for revisions
-- [from_revision, to_revision); the current state has to_revision IS NULL.
CREATE TABLE directory_object (
    id              bigint PRIMARY KEY,
    kind            varchar(32)  NOT NULL,
    object_key      varchar(600) NOT NULL,
    department_code varchar(32)  NOT NULL REFERENCES department (code),
    spec            jsonb        NOT NULL,
    from_revision   bigint       NOT NULL REFERENCES directory_revision (number),
    to_revision     bigint       REFERENCES directory_revision (number),
    CHECK (to_revision IS NULL OR to_revision > from_revision)
);
CREATE SEQUENCE directory_object_seq START WITH 1 INCREMENT BY 50;
CREATE UNIQUE INDEX directory_object_current ON directory_object (kind, object_key) WHERE to_revision IS NULL;
CREATE INDEX directory_object_history ON directory_object (kind, object_key, from_revision);
CREATE INDEX directory_object_department ON directory_object (department_code) WHERE to_revision IS NULL;
CREATE INDEX directory_object_from ON directory_object (from_revision);
CREATE INDEX directory_object_to ON directory_object (to_revision) WHERE to_revision IS NOT NULL;

CREATE TABLE change_request (
    id                uuid PRIMARY KEY,
    department_code   varchar(32)   NOT NULL REFERENCES department (code),
    title             varchar(200)  NOT NULL,
    reason            varchar(4000) NOT NULL,
    external_system   varchar(64),
    external_key      varchar(128),
    external_url      varchar(2000),
    status            varchar(16)   NOT NULL,
    base_revision     bigint        NOT NULL REFERENCES directory_revision (number),
    applied_revision  bigint        REFERENCES directory_revision (number),
    findings          jsonb         NOT NULL,
    policy_version    bigint        NOT NULL,
    created_by        varchar(100)  NOT NULL,
    created_at        timestamp(6) with time zone NOT NULL,
    decided_by        varchar(100),
    decided_at        timestamp(6) with time zone,
    decision_comment  varchar(4000),
    override_reason   varchar(4000)
);
CREATE INDEX change_request_status ON change_request (status, created_at);
CREATE INDEX change_request_department ON change_request (department_code, created_at);
CREATE INDEX change_request_external ON change_request (external_system, external_key);

CREATE TABLE change_item (
    id                bigint PRIMARY KEY,
    change_request_id uuid         NOT NULL REFERENCES change_request (id),
    position          int          NOT NULL,
    action            varchar(16)  NOT NULL,
    kind              varchar(32)  NOT NULL,
    object_key        varchar(600) NOT NULL,
    spec              jsonb        NOT NULL,
    UNIQUE (change_request_id, position)
);
CREATE SEQUENCE change_item_seq START WITH 1 INCREMENT BY 50;

-- Idempotency-Key replay: one row per (actor, key), written with the request it created.
CREATE TABLE idempotency_record (
    id            bigint PRIMARY KEY,
    actor         varchar(100) NOT NULL,
    idem_key      varchar(200) NOT NULL,
    request_hash  varchar(64)  NOT NULL,
    status_code   int          NOT NULL,
    location      varchar(500),
    response_body text         NOT NULL,
    created_at    timestamp(6) with time zone NOT NULL,
    UNIQUE (actor, idem_key)
);
CREATE SEQUENCE idempotency_record_seq START WITH 1 INCREMENT BY 50;

-- Append-only, hash-chained audit log.
-- hash = SHA-256(prev_hash || canonical JSON of the row); seq has no gaps.
CREATE TABLE audit_entry (
    seq          bigint PRIMARY KEY,
    occurred_at  timestamp(6) with time zone NOT NULL,
    actor        varchar(100) NOT NULL,
    roles        varchar(200) NOT NULL,
    department   varchar(32),
    source_ip    varchar(64),
    request_id   varchar(64),
    action       varchar(64)  NOT NULL,
    object_type  varchar(32)  NOT NULL,
    object_id    varchar(600) NOT NULL,
    before_state jsonb,
    after_state  jsonb,
    prev_hash    varchar(64)  NOT NULL CHECK (length(prev_hash) = 64),
    hash         varchar(64)  NOT NULL UNIQUE CHECK (length(hash) = 64)
);
CREATE INDEX audit_entry_actor ON audit_entry (actor, seq);
CREATE INDEX audit_entry_object ON audit_entry (object_id, seq);
CREATE INDEX audit_entry_time ON audit_entry (occurred_at);

-- Shared by every append-only table (audit_entry here, policy_version later).
CREATE FUNCTION refuse_change_of_append_only_table() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_entry_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only_table();
CREATE TRIGGER audit_entry_no_truncate
    BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_append_only_table();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM PUBLIC;
