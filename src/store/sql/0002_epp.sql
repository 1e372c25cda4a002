-- EPP service message queue (RFC 5730 §2.9.2.3) and the audit log of every
-- EPP command (DESIGN §4 epp_log).

CREATE TABLE poll_message (
    id {{id}},
    registrar_id BIGINT NOT NULL REFERENCES registrar (id),
    created_at BIGINT NOT NULL,
    kind TEXT NOT NULL,              -- 'notice', 'transfer', 'change', …
    message TEXT NOT NULL,           -- the human-readable <msg>
    object_type TEXT,                -- domain | contact | host | account
    object_name TEXT,
    data TEXT                        -- JSON with kind-specific fields
);
CREATE INDEX poll_message_queue ON poll_message (registrar_id, id);

CREATE TABLE epp_log (
    id {{id}},
    at BIGINT NOT NULL,
    registrar_id BIGINT REFERENCES registrar (id),
    clid TEXT,                       -- as sent, also for failed logins
    session_id TEXT NOT NULL,
    peer TEXT NOT NULL,
    svtrid TEXT NOT NULL UNIQUE,
    cltrid TEXT,
    command TEXT NOT NULL,           -- login, domain:create, …
    result_code INTEGER NOT NULL,
    duration_us BIGINT NOT NULL,
    request TEXT NOT NULL,           -- passwords and auth info redacted
    response TEXT NOT NULL
);
CREATE INDEX epp_log_registrar_at ON epp_log (registrar_id, at);
CREATE INDEX epp_log_at ON epp_log (at);
