-- Accounts can be disabled instead of deleted: the audit log keeps naming them, and a disabled
-- account can neither log in nor keep a UI session.
ALTER TABLE local_user ADD COLUMN disabled_at timestamptz;
