-- The registrant self-service site (issue 17; R21, R39; docs/self-service.md).
-- contact_credential: a setup link is kept after use (setup_used_at), so
-- the page can say "used" rather than "unknown"; a new link replaces it.
-- failures counts wrong passwords (and eID identities) since the last
-- login; at [selfservice] max_failures the contact is locked until
-- locked_until. A reset link (mailed) is a setup link with the same rules.
-- (Numbers 0040-0044 are this branch's; migrations apply by version.)
ALTER TABLE contact_credential ADD COLUMN setup_used_at BIGINT;
ALTER TABLE contact_credential ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contact_credential ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contact_credential ADD COLUMN last_login_at BIGINT;

-- Self-service sessions, kept server-side like the portal's: the browser
-- holds a random token (256 bits), the database only its SHA-256. method:
-- how the contact logged in (password | eid).
CREATE TABLE selfservice_session (
    token_hash TEXT PRIMARY KEY,
    contact_id BIGINT NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    method TEXT NOT NULL CHECK (method IN ('password', 'eid')),
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);
CREATE INDEX selfservice_session_contact ON selfservice_session (contact_id);
