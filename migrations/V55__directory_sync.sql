-- People from the company directory (LDAP / Active Directory, read-only): where to read them, what
-- each run found and proposed, and who each source has seen (so an entry that is gone is a leaver).
CREATE SEQUENCE directory_source_seq INCREMENT BY 50;
CREATE TABLE directory_source (
    id                    bigint PRIMARY KEY,
    name                  varchar(64)   NOT NULL UNIQUE,
    url                   varchar(500)  NOT NULL,
    start_tls             boolean       NOT NULL,
    -- PEM certificates of the CA(s) the server's certificate must chain to; null: the JVM's trust store
    ca_certificate        text,
    bind_dn               varchar(500),
    credential_ref        varchar(300),
    base_dn               varchar(500)  NOT NULL,
    filter                varchar(1000) NOT NULL,
    attributes            jsonb         NOT NULL,
    departments           jsonb         NOT NULL,
    sync_interval_seconds integer,
    enabled               boolean       NOT NULL,
    -- the scheduler's claim (one run per interval across replicas) and the running run's claim
    scheduled_at          timestamptz,
    running_since         timestamptz,
    created_at            timestamptz   NOT NULL,
    updated_at            timestamptz   NOT NULL
);

CREATE SEQUENCE directory_sync_run_seq INCREMENT BY 50;
CREATE TABLE directory_sync_run (
    id           bigint PRIMARY KEY,
    source_id    bigint       NOT NULL REFERENCES directory_source (id) ON DELETE CASCADE,
    triggered_by varchar(200) NOT NULL,
    started_at   timestamptz  NOT NULL,
    finished_at  timestamptz  NOT NULL,
    status       varchar(16)  NOT NULL,
    entries      integer      NOT NULL,
    report       jsonb        NOT NULL
);
CREATE INDEX directory_sync_run_source ON directory_sync_run (source_id, started_at DESC);

CREATE TABLE directory_source_person (
    source_id       bigint        NOT NULL REFERENCES directory_source (id) ON DELETE CASCADE,
    address         varchar(320)  NOT NULL,
    dn              varchar(1000) NOT NULL,
    department_code varchar(32),
    last_seen_at    timestamptz   NOT NULL,
    gone_at         timestamptz,
    PRIMARY KEY (source_id, address)
);
