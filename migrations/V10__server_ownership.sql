-- "The mail servers are the truth": a server is OBSERVEd (read and reported, never written) until an
-- admin confirms the plan of writes that switches it to ENFORCE; mailgov then changes or removes only
-- what it manages there (the ledger below, plus the approved directory).
-- Servers registered before this version were already being written to: they stay ENFORCE.
ALTER TABLE mail_server ADD COLUMN mode varchar(16) NOT NULL DEFAULT 'ENFORCE';
ALTER TABLE mail_server ALTER COLUMN mode SET DEFAULT 'OBSERVE';

-- What mailgov manages per server: written by a push (PUSHED) or taken over by an approved import
-- (ADOPTED). Anything else found on the server is UNMANAGED: reported, never removed.
CREATE TABLE managed_artifact (
    server_id     bigint        NOT NULL REFERENCES mail_server (id) ON DELETE CASCADE,
    artifact_type varchar(32)   NOT NULL,
    artifact_key  text          NOT NULL,
    origin        varchar(16)   NOT NULL,
    recorded_at   timestamp(6) with time zone NOT NULL DEFAULT now(),
    PRIMARY KEY (server_id, artifact_type, artifact_key)
);

-- The differences of the last drift check, one fingerprint each: drift.detected fires for every new
-- or changed difference, not only when their number changes.
CREATE TABLE drift_fingerprint (
    server_id   bigint   NOT NULL REFERENCES mail_server (id) ON DELETE CASCADE,
    artifact    text     NOT NULL,
    fingerprint char(64) NOT NULL,
    PRIMARY KEY (server_id, artifact)
);

-- Mailbox addresses an admin uploaded for a server whose mailboxes cannot be listed over the network
-- (server option mailboxSource=list).
CREATE TABLE server_mailbox (
    server_id bigint NOT NULL REFERENCES mail_server (id) ON DELETE CASCADE,
    address   text   NOT NULL,
    PRIMARY KEY (server_id, address)
);
