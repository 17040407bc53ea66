-- An emergency change (the loop guard's stop of a mailgov autoreply) is applied by one approver or
-- by policy at once and reviewed by a second person afterwards, before review_due_at.
ALTER TABLE change_request
    ADD COLUMN change_type  varchar(16) NOT NULL DEFAULT 'NORMAL',  -- NORMAL or EMERGENCY
    ADD COLUMN review_due_at timestamp(6) with time zone,
    ADD COLUMN reviewed_by   varchar(100),
    ADD COLUMN reviewed_at   timestamp(6) with time zone;

-- the emergency change an incident's stop filed (a mailgov autoreply on the cycle)
ALTER TABLE loop_incident ADD COLUMN change_request_id uuid REFERENCES change_request (id);
