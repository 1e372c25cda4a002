-- Registrars (DESIGN §4) and the job bookkeeping of the scheduler (§8).
-- Times are BIGINT seconds since the Unix epoch (UTC) on both backends.

CREATE TABLE registrar (
    id {{id}},
    handle TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    default_management TEXT NOT NULL DEFAULT 'registrar'
        CHECK (default_management IN ('registrar', 'registrant')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- SHA-256 fingerprints (lowercase hex, no colons) of pinned client certificates.
CREATE TABLE registrar_cert (
    registrar_id BIGINT NOT NULL REFERENCES registrar (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (registrar_id, fingerprint)
);

-- Source addresses or CIDR prefixes allowed to log in; none = any.
CREATE TABLE registrar_ip (
    registrar_id BIGINT NOT NULL REFERENCES registrar (id) ON DELETE CASCADE,
    prefix TEXT NOT NULL,
    PRIMARY KEY (registrar_id, prefix)
);

CREATE TABLE job_run (
    name TEXT PRIMARY KEY,
    last_start BIGINT NOT NULL,
    last_finish BIGINT,
    last_status TEXT,
    last_message TEXT,
    runs BIGINT NOT NULL DEFAULT 0
);
