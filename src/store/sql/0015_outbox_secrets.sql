-- Secrets in outgoing messages (issue 12): where each secret of a queued
-- message is (byte spans of the body, "start:len,…"; NULL: none), so the
-- outbox keeps it only until the message is delivered or given up, then
-- "[redacted]" in its place; redacted counts the secrets removed.
ALTER TABLE outbox ADD COLUMN secrets TEXT;
ALTER TABLE outbox ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;

-- Messages queued before: the one-time passwords and confirmation links
-- cannot be found in SQL, so the whole text of such a message is the
-- secret ("*"): still sent whole, kept as "[redacted]" afterwards.
UPDATE outbox SET secrets = '*' WHERE cause IN ('otp', 'confirmation-request')
    AND state = 'queued';
UPDATE outbox SET body = '[redacted]', redacted = 1
    WHERE cause IN ('otp', 'confirmation-request') AND state <> 'queued';
