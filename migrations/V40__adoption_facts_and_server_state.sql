-- Observed loop facts (policy/facts/LoopFacts) per reporter, e.g. "server:3": what an import found on a
-- server that mailgov does not manage (hand-made Sieve responders, aliases, lists). Kept so that the loop
-- checks and the risk report see them after a restart without running the imports again.
CREATE TABLE observed_fact_set (
    source     text        PRIMARY KEY,
    updated_at timestamp(6) with time zone NOT NULL,
    facts      jsonb       NOT NULL
);

-- A change request that describes what a server already holds (an import proposal): a loop finding whose
-- every hop is already on the servers is a known risk there, not something the request would create.
ALTER TABLE change_request ADD COLUMN describes_server_state boolean NOT NULL DEFAULT false;
