-- Management models, the registry's terms and registrar service flags
-- (R18-R20, R26; DESIGN §4, §6).

-- R20: the registrant's acceptance of the registry's terms, recorded at
-- registration: the version, when the registrant accepted it, and the
-- registrar that vouched for it. NULL on domains created before this.
ALTER TABLE domain ADD COLUMN terms_version TEXT;
ALTER TABLE domain ADD COLUMN terms_accepted_at BIGINT;
ALTER TABLE domain ADD COLUMN terms_registrar_id BIGINT REFERENCES registrar (id);

-- R19: when the contact-check-reminder job last asked this contact, as
-- the registrant of registrar-managed domains, to check its data.
ALTER TABLE contact ADD COLUMN contact_check_sent_at BIGINT;

-- R26: what a registrar offers its customers (staff record it).
ALTER TABLE registrar ADD COLUMN offers_name_service INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registrar ADD COLUMN offers_dnssec INTEGER NOT NULL DEFAULT 0;

-- R19: invoices the registry issues to registrants of registrant-managed
-- domains, from the first renewal on. One invoice per renewal. They are
-- not registrar invoices: no ledger rows (the registrar is not debited)
-- and a number series of their own, gapless from 1 and shown as R1, R2, …
-- The payer is copied onto the invoice as it was when issued; payer_kind
-- 'account' is for the registrant accounts of R33-R35 (billing slots).
CREATE TABLE registrant_invoice_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last BIGINT NOT NULL
);
INSERT INTO registrant_invoice_counter (id, last) VALUES (1, 0);

CREATE TABLE registrant_invoice (
    id {{id}},
    number BIGINT NOT NULL UNIQUE,
    domain_id BIGINT NOT NULL,            -- no reference: the invoice outlives a purge
    domain_name TEXT NOT NULL,            -- A-label
    operation TEXT NOT NULL CHECK (operation IN ('renew', 'autorenew')),
    years INTEGER NOT NULL,
    period_start BIGINT NOT NULL,         -- the expiry the renewal started from
    period_end BIGINT NOT NULL,           -- the new expiry
    sponsor_id BIGINT NOT NULL REFERENCES registrar (id),
    payer_kind TEXT NOT NULL CHECK (payer_kind IN ('registrant', 'account')),
    payer_contact_id BIGINT,
    payer_handle TEXT NOT NULL,
    payer_name TEXT,
    payer_org TEXT,
    payer_address TEXT,                   -- lines separated by newlines
    payer_email TEXT,
    issued_at BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    currency TEXT NOT NULL,
    actor TEXT NOT NULL,                  -- registrar handle or job:NAME
    channel TEXT NOT NULL,
    svtrid TEXT
);
-- a renewal period is invoiced once
CREATE UNIQUE INDEX registrant_invoice_renewal ON registrant_invoice (domain_id, period_start);
CREATE INDEX registrant_invoice_payer ON registrant_invoice (payer_contact_id);
