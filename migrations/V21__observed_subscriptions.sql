-- Subscriptions to outside lists the loop guard saw on the mail path (List-Id / List-Post from an
-- outside domain reaching an internal mailbox) that nobody registered. Fed to the loop engine as
-- facts (worst-case behaviour) until registered.
CREATE TABLE guard_observed_subscription (
    mailbox       varchar(320) NOT NULL,
    list_address  varchar(320) NOT NULL,
    list_id       varchar(500),
    first_seen    timestamp(6) with time zone NOT NULL,
    last_seen     timestamp(6) with time zone NOT NULL,
    messages      bigint       NOT NULL,
    PRIMARY KEY (mailbox, list_address)
);
