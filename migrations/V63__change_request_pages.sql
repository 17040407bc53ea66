-- Keyset pages of change requests (issue 12 #9): newest or oldest first over all requests, the
-- status filter (the approvers' queue) with the same tie-break on id, so a page boundary that
-- falls between two requests created in the same microsecond neither skips nor repeats one.
CREATE INDEX change_request_created ON change_request (created_at, id);
CREATE INDEX change_request_status_created ON change_request (status, created_at, id);
DROP INDEX change_request_status;
