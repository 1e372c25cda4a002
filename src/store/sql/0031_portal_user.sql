-- Registrar portal users (DESIGN §4, R27; issue 16). Each belongs to one
-- registrar; the login name is unique across registrars (stored in lower
-- case). roles: a comma-separated list of administrator,
-- nameserver_manager, registrar, payer, proxy in that order. password_hash:
-- argon2id, NULL until one is set. totp_secret: the RFC 6238 key in base32,
-- made at the first login and confirmed by a code (totp_enrolled);
-- totp_last_step is the time step of the last code taken, so no code is
-- taken twice. failures counts wrong passwords and codes since the last
-- login; at [portal] max_failures the user is locked until locked_until.
-- (Number 0031: the numbers in between are other branches'; migrations
-- apply by version.)
CREATE TABLE portal_user (
    id {{id}},
    registrar_id BIGINT NOT NULL REFERENCES registrar (id),
    login TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    roles TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    totp_secret TEXT,
    totp_enrolled INTEGER NOT NULL DEFAULT 0,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    language TEXT NOT NULL DEFAULT 'en',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_login_at BIGINT
);
CREATE INDEX portal_user_registrar ON portal_user (registrar_id);

-- Portal sessions, kept server-side. The browser holds a random token (256
-- bits); only its SHA-256 is stored. stage: password (the password was
-- right, the TOTP code is awaited), enrol (the same, the user enrols its
-- TOTP key first), full (logged in).
CREATE TABLE portal_session (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES portal_user (id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('password', 'enrol', 'full')),
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL
);
CREATE INDEX portal_session_user ON portal_session (user_id);
