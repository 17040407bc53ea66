-- The person who filed the ticket a request came from (the ticketing system posts it with a service
-- account): four eyes applies to them as to the submitter, so they cannot approve their own ticket.
ALTER TABLE change_request ADD COLUMN external_author varchar(100);
