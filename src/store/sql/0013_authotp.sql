-- Auth codes and one-time passwords (DESIGN §4 otp, §6 R15-R17).

-- R15: a registrant asked for the auth info; the sponsor must give it
-- within [authinfo] deadline_days working days. Open while closed_at is
-- NULL; closed when the sponsor sets auth info, by staff, or by a transfer.
CREATE TABLE authinfo_request (
    id {{id}},
    domain_id BIGINT NOT NULL REFERENCES domain (id) ON DELETE CASCADE,
    registrar_id BIGINT NOT NULL REFERENCES registrar (id), -- the sponsor asked
    requested_at BIGINT NOT NULL,
    deadline BIGINT NOT NULL,             -- last second of the last working day
    note TEXT,
    actor TEXT NOT NULL,                  -- who recorded it: staff, registrant, …
    channel TEXT NOT NULL,                -- regctl, web
    overdue_notified_at BIGINT,           -- the sponsor's overdue poll message
    closed_at BIGINT,
    outcome TEXT CHECK (outcome IN ('authinfo-set', 'done', 'transferred')),
    closed_by TEXT
);
CREATE INDEX authinfo_request_open ON authinfo_request (closed_at, deadline);
CREATE INDEX authinfo_request_domain ON authinfo_request (domain_id, closed_at);

-- R16: one-time passwords sent straight to the registrant, bound to the
-- domain and the gaining registrar that asked; stored hashed
-- (secret_authinfo_hash). Rows are removed by the otp-expire job once
-- expired, whatever their state.
CREATE TABLE otp (
    id {{id}},
    domain_id BIGINT NOT NULL REFERENCES domain (id) ON DELETE CASCADE,
    registrar_id BIGINT NOT NULL REFERENCES registrar (id),
    hash TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    sent_to TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,  -- wrong tries so far
    state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'used', 'void')),
    used_at BIGINT
);
CREATE INDEX otp_domain ON otp (domain_id, registrar_id, state);
CREATE INDEX otp_expires ON otp (expires_at);

-- R17: the manual route, kept for audit: the documents staff checked,
-- the registrant's new e-mail address and the fee's one-off invoice. By
-- name, not by id: the record outlives the domain and the contact.
CREATE TABLE otp_manual (
    id {{id}},
    domain TEXT NOT NULL,
    registrar_id BIGINT NOT NULL REFERENCES registrar (id), -- the gaining registrar
    registrant TEXT NOT NULL,             -- contact handle
    old_email TEXT,
    new_email TEXT NOT NULL,
    documents TEXT NOT NULL,
    checked_by TEXT NOT NULL,
    at BIGINT NOT NULL,
    fee BIGINT NOT NULL,                  -- minor units; 0 = not charged
    invoice_number BIGINT
);
CREATE INDEX otp_manual_domain ON otp_manual (domain, id);
