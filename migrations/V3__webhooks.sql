-- Outgoing webhooks (Standard Webhooks): endpoints and an outbox of deliveries written in the
-- same transaction as the event, claimed by workers with FOR UPDATE SKIP LOCKED and a lease.
CREATE TABLE webhook_endpoint (
    id          bigint PRIMARY KEY,
    url         varchar(2000) NOT NULL,
    secret      varchar(200)  NOT NULL,
    events      varchar(1000) NOT NULL,
    enabled     boolean       NOT NULL,
    description varchar(200),
    created_by  varchar(100)  NOT NULL,
    created_at  timestamp(6) with time zone NOT NULL
);
CREATE SEQUENCE webhook_endpoint_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE webhook_delivery (
    id              bigint PRIMARY KEY,
    endpoint_id     bigint       NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    message_id      varchar(64)  NOT NULL UNIQUE,
    event_type      varchar(64)  NOT NULL,
    payload         text         NOT NULL,
    status          varchar(16)  NOT NULL,
    attempts        int          NOT NULL,
    next_attempt_at timestamp(6) with time zone NOT NULL,
    lease_until     timestamp(6) with time zone,
    last_status     int,
    last_error      varchar(1000),
    latency_ms      bigint,
    created_at      timestamp(6) with time zone NOT NULL,
    delivered_at    timestamp(6) with time zone
);
CREATE SEQUENCE webhook_delivery_seq START WITH 1 INCREMENT BY 50;
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_endpoint ON webhook_delivery (endpoint_id, id);
