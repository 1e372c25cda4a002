-- Registrant confirmations (DESIGN §4 pending_action; R6-R9): a change of
-- registrant or a delete waiting for the current registrant's answer.
-- token_hash is the SHA-256 (hex) of the link's token; the token itself is
-- only in the mail. command holds the stored EPP update as JSON, applied
-- whole on confirmation. At most one open action per domain (domain.c
-- refuses a second one through pendingUpdate / pendingDelete).

CREATE TABLE pending_action (
    id {{id}},
    domain_id BIGINT REFERENCES domain (id) ON DELETE SET NULL,
    domain_name TEXT NOT NULL,            -- A-label: the page can name a purged domain
    kind TEXT NOT NULL CHECK (kind IN ('registrantChange', 'delete')),
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'confirmed', 'rejected', 'expired', 'failed', 'cancelled')),
    registrar_id BIGINT NOT NULL REFERENCES registrar (id),
    registrant_id BIGINT REFERENCES contact (id) ON DELETE SET NULL,
    new_registrant_id BIGINT REFERENCES contact (id) ON DELETE SET NULL,
    command TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    cltrid TEXT,
    svtrid TEXT,
    requested_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    decided_at BIGINT,
    reason TEXT
);
CREATE INDEX pending_action_open ON pending_action (state, expires_at);
CREATE INDEX pending_action_domain ON pending_action (domain_id, state);
