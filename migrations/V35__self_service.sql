-- Self-service: a local account's own mail address (its mailbox, if the directory has one), and the
-- standard change class that approved a request on the policy's behalf (null: a person decided).
ALTER TABLE local_user ADD COLUMN email varchar(320);
CREATE UNIQUE INDEX local_user_email ON local_user (lower(email)) WHERE email IS NOT NULL;
ALTER TABLE change_request ADD COLUMN standard_change varchar(100);
