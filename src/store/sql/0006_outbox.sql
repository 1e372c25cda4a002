-- Outgoing mail and SMS (DESIGN §4 outbox): rows written in the same
-- transaction as the change that causes them; the outbox-deliver job
-- sends them, with retries and backoff.

CREATE TABLE outbox (
    id {{id}},
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    cause TEXT NOT NULL,                  -- low-balance, …
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_try);
