-- The company's mail domains are data (issue 10 item 5): managed through the API/UI, learned at
-- import. mailgov.internal-domains only seeds this table on the first start.
CREATE TABLE company_domain (
    domain     varchar(255) PRIMARY KEY,
    source     varchar(16)  NOT NULL CHECK (source IN ('SEED', 'API', 'IMPORT')),
    created_by varchar(128) NOT NULL,
    created_at timestamptz  NOT NULL,
    -- Every mailbox, forward and list of the domain is in the directory (e.g. after an import):
    -- then an unknown address in it is a finding (rule unknown-internal-address), not just unseen.
    directory_complete boolean NOT NULL DEFAULT false
);

-- One row: a version every replica compares with its cached copy, and whether the seed ran.
CREATE TABLE company_domain_state (
    id      int     PRIMARY KEY CHECK (id = 1),
    version bigint  NOT NULL,
    seeded  boolean NOT NULL
);
INSERT INTO company_domain_state (id, version, seeded) VALUES (1, 0, false);
