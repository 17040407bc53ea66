-- Policy as data: every saved policy is a new, immutable version; evaluations record the
-- version they used, so a past decision can be explained with the policy in force then.
CREATE TABLE policy_version (
    version     bigint PRIMARY KEY,
    document    jsonb        NOT NULL,
    created_by  varchar(100) NOT NULL,
    created_at  timestamp(6) with time zone NOT NULL
);
INSERT INTO policy_version (version, document, created_by, created_at)
VALUES (1, '{"rules": {}, "departments": {}, "customRules": []}', 'system', now());

ALTER TABLE change_request
    ADD CONSTRAINT change_request_policy_version_fk FOREIGN KEY (policy_version) REFERENCES policy_version (version);

CREATE TRIGGER policy_version_no_update_delete
    BEFORE UPDATE OR DELETE ON policy_version
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_append_only_table();
