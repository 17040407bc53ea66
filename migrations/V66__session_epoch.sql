-- A UI session cookie carries the account's session epoch from when it was issued. Logout, a new
-- password and disabling the account raise the epoch, so every earlier cookie (and any copy of it)
-- stops working at once, on every replica.
ALTER TABLE local_user ADD COLUMN session_epoch integer NOT NULL DEFAULT 0;
