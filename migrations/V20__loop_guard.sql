-- Loop guard: message counts per observed edge (sender -> recipient, normalised) in time buckets,
-- written by every replica in batches, so a cycle whose edges pass different replicas is still seen;
-- loop incidents and every message held or deferred on a cycle's edges.
CREATE TABLE guard_edge_count (
    src        varchar(320) NOT NULL,
    dst        varchar(320) NOT NULL,
    bucket     bigint       NOT NULL,   -- epoch seconds / bucket width
    node       varchar(100) NOT NULL,
    messages   int          NOT NULL,
    automated  int          NOT NULL,   -- Auto-Submitted other than "no", or the null sender
    sample     varchar(500),            -- one automated header seen on the edge (evidence)
    PRIMARY KEY (src, dst, bucket, node)
);
CREATE INDEX guard_edge_count_bucket ON guard_edge_count (bucket);

CREATE TABLE loop_incident (
    id              bigint PRIMARY KEY,
    cycle_key       varchar(2000) NOT NULL,
    status          varchar(16)   NOT NULL,  -- OPEN, STOPPED, CLOSED
    opened_at       timestamp(6) with time zone NOT NULL,
    stopped_at      timestamp(6) with time zone,
    stopped_by      varchar(100),
    closed_at       timestamp(6) with time zone,
    policy_version  bigint        NOT NULL,
    cycle           jsonb         NOT NULL,  -- nodes in order
    edges           jsonb         NOT NULL,  -- edges with rates when detected
    correlated      jsonb         NOT NULL,  -- directory objects, responders, findings
    stop_action     jsonb,                   -- what the emergency stop suspended (and can restore)
    review_due_at   timestamp(6) with time zone,
    reviewed_by     varchar(100),
    reviewed_at     timestamp(6) with time zone,
    reminder_sent   boolean       NOT NULL DEFAULT false
);
-- not a Hibernate sequence (native inserts): incident numbers people read, 1, 2, 3...
CREATE SEQUENCE loop_incident_seq START WITH 1 INCREMENT BY 1;
-- at most one incident per cycle until it is closed (replicas race to open it)
CREATE UNIQUE INDEX loop_incident_one_open ON loop_incident (cycle_key) WHERE status <> 'CLOSED';

CREATE TABLE loop_held_message (
    id           bigserial PRIMARY KEY,
    incident_id  bigint       NOT NULL REFERENCES loop_incident (id),
    action       varchar(8)   NOT NULL,  -- HOLD or DEFER
    hook         varchar(8)   NOT NULL,  -- MILTER or POLICY
    queue_id     varchar(64),
    message_id   varchar(500),
    src          varchar(320) NOT NULL,
    dst          varchar(320) NOT NULL,
    observed_at  timestamp(6) with time zone NOT NULL,
    node         varchar(100) NOT NULL,
    released_at  timestamp(6) with time zone,
    release_note varchar(500)
);
CREATE INDEX loop_held_message_incident ON loop_held_message (incident_id, id);
