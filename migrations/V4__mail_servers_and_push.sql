-- Mail servers mailgov pushes to, and the push outbox: jobs written in the approval transaction,
-- claimed by workers with FOR UPDATE SKIP LOCKED and a lease, retried with backoff.
CREATE TABLE mail_server (
    id               bigint PRIMARY KEY,
    name             varchar(64)   NOT NULL UNIQUE,
    kind             varchar(32)   NOT NULL,
    endpoint         varchar(500)  NOT NULL,
    username         varchar(200),
    -- env:NAME or file:/path — the secret itself is never stored
    credential_ref   varchar(300),
    options          text          NOT NULL,
    enabled          boolean       NOT NULL,
    created_by       varchar(100)  NOT NULL,
    created_at       timestamp(6) with time zone NOT NULL,
    drift_checked_at timestamp(6) with time zone,
    drift_count      int,
    drift_error      varchar(1000)
);
CREATE SEQUENCE mail_server_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE push_job (
    id                bigint PRIMARY KEY,
    server_id         bigint        NOT NULL REFERENCES mail_server (id) ON DELETE CASCADE,
    change_request_id uuid          REFERENCES change_request (id),
    purpose           varchar(16)   NOT NULL,
    -- JSON array of "TYPE:key" artifact keys; NULL means everything the server holds for mailgov
    scope             text,
    target_revision   bigint        NOT NULL,
    status            varchar(16)   NOT NULL,
    attempts          int           NOT NULL,
    next_attempt_at   timestamp(6) with time zone NOT NULL,
    lease_until       timestamp(6) with time zone,
    last_error        varchar(1000),
    changed_count     int,
    created_by        varchar(100)  NOT NULL,
    created_at        timestamp(6) with time zone NOT NULL,
    finished_at       timestamp(6) with time zone
);
CREATE SEQUENCE push_job_seq START WITH 1 INCREMENT BY 50;
CREATE INDEX push_job_due ON push_job (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX push_job_change ON push_job (change_request_id) WHERE change_request_id IS NOT NULL;
CREATE INDEX push_job_server ON push_job (server_id, id);
