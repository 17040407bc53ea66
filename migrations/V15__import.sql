-- Import (adoption) of what a server already holds.
-- Each change request an import proposed, with the server artifacts its objects stand for: when the
-- request is approved those artifacts become mailgov's (managed_artifact, origin ADOPTED) in the
-- approval's transaction. Written in the same transaction as the request itself, so an import that
-- is killed half-way leaves only whole proposals, and its repeat skips what they already hold.
CREATE TABLE import_proposal (
    change_request_id uuid        PRIMARY KEY REFERENCES change_request (id) ON DELETE CASCADE,
    server_id         bigint      NOT NULL REFERENCES mail_server (id) ON DELETE CASCADE,
    artifacts         text[]      NOT NULL
);
CREATE INDEX import_proposal_server ON import_proposal (server_id);

-- The outcome of the latest import per server (what was read, proposed, and every artifact it could
-- not import with the reason): the risk report lists what stays unmanaged from here.
CREATE TABLE import_run (
    server_id   bigint      PRIMARY KEY REFERENCES mail_server (id) ON DELETE CASCADE,
    finished_at timestamp(6) with time zone NOT NULL,
    actor       text        NOT NULL,
    result      text        NOT NULL
);
