-- Registrant accounts (DESIGN §4 account, §5 account-1.0; Nominet's
-- model, R33-R39): an account is the registrant as the registry knows
-- them, with admin contact slots a1-a3 and billing contact slots b1-b3,
-- each naming a contact object. docs/epp-accounts.md describes the model.
--
-- The slot rules are checked by src/registry/account.c with a precise
-- message; the CHECK constraints below are the database's own guard.

CREATE TABLE account (
    id {{id}},
    handle TEXT NOT NULL UNIQUE,          -- R1-R3 as for contacts: REGISTRAR:ID
    sponsor_id BIGINT NOT NULL REFERENCES registrar (id),
    creator_id BIGINT NOT NULL REFERENCES registrar (id),
    updater_id BIGINT REFERENCES registrar (id),
    billing TEXT NOT NULL DEFAULT 'registrar'
        CHECK (billing IN ('registrar', 'registrant')),
    a1_id BIGINT NOT NULL REFERENCES contact (id),   -- R34: always filled
    a2_id BIGINT REFERENCES contact (id),
    a3_id BIGINT REFERENCES contact (id),
    b1_id BIGINT REFERENCES contact (id),
    b2_id BIGINT REFERENCES contact (id),
    b3_id BIGINT REFERENCES contact (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT,
    -- R36: one contact in at most one admin and one billing slot
    CHECK (a2_id <> a1_id AND a3_id <> a1_id AND a3_id <> a2_id),
    CHECK (b2_id <> b1_id AND b3_id <> b1_id AND b3_id <> b2_id),
    -- R35: b2 and b3 only with b1; billing contacts only when the registry
    -- bills the registrant
    CHECK ((b2_id IS NULL AND b3_id IS NULL) OR b1_id IS NOT NULL),
    CHECK (billing = 'registrant' OR (b1_id IS NULL AND b2_id IS NULL AND b3_id IS NULL))
);
-- One account per registrant and registrar: a domain created with
-- registrant R joins the account whose a1 is R (R37).
CREATE UNIQUE INDEX account_holder ON account (sponsor_id, a1_id);
CREATE INDEX account_a1 ON account (a1_id);
CREATE INDEX account_a2 ON account (a2_id);
CREATE INDEX account_a3 ON account (a3_id);
CREATE INDEX account_b1 ON account (b1_id);
CREATE INDEX account_b2 ON account (b2_id);
CREATE INDEX account_b3 ON account (b3_id);

-- The account a domain belongs to: set at create and on a change of
-- registrant; NULL for domains older than accounts.
ALTER TABLE domain ADD COLUMN account_id BIGINT REFERENCES account (id);
CREATE INDEX domain_account ON domain (account_id);

-- R39: self-service credentials of the contacts in admin slots. Only
-- hashes: the setup token's SHA-256 (it is 256 random bits) and the
-- password's argon2id. The token is single-use and expires.
CREATE TABLE contact_credential (
    contact_id BIGINT PRIMARY KEY REFERENCES contact (id) ON DELETE CASCADE,
    password_hash TEXT,
    setup_token_hash TEXT UNIQUE,
    setup_expires_at BIGINT,
    issued_at BIGINT NOT NULL,
    password_set_at BIGINT
);
