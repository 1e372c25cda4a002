-- Prepaid billing (R23, R24; DESIGN §4): an append-only ledger in integer
-- minor units. Each row carries the registrar's balance after it, so the
-- current balance is one indexed read; `regctl ledger verify` recomputes
-- every balance as the running sum of amounts.

ALTER TABLE registrar ADD COLUMN credit_limit BIGINT NOT NULL DEFAULT 0;
ALTER TABLE registrar ADD COLUMN low_balance BIGINT;        -- warn below this
ALTER TABLE registrar ADD COLUMN low_balance_warned INTEGER NOT NULL DEFAULT 0;

CREATE TABLE ledger (
    id {{id}},
    registrar_id BIGINT NOT NULL REFERENCES registrar (id),
    at BIGINT NOT NULL,
    amount BIGINT NOT NULL,               -- + credit, - debit
    balance_after BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('credit', 'debit', 'refund', 'adjustment')),
    operation TEXT,                       -- create, renew, autorenew, transfer, restore, fee
    years INTEGER,
    object_kind TEXT,
    object_name TEXT,
    svtrid TEXT,
    text TEXT NOT NULL,
    invoice_id BIGINT,
    oneoff INTEGER NOT NULL DEFAULT 0     -- fee invoiced outside the monthly invoice (R17)
);
CREATE INDEX ledger_registrar ON ledger (registrar_id, id);
CREATE INDEX ledger_at ON ledger (at);

-- Prices per operation and period; registrar_id set = an override for that
-- registrar (R24). The row with the latest valid_from <= now applies.
CREATE TABLE price (
    id {{id}},
    operation TEXT NOT NULL CHECK (operation IN ('create', 'renew', 'autorenew', 'transfer',
                                                 'restore')),
    years INTEGER NOT NULL CHECK (years BETWEEN 0 AND 10),  -- 0: any period, per year
    amount BIGINT NOT NULL CHECK (amount >= 0),
    registrar_id BIGINT REFERENCES registrar (id),
    valid_from BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX price_lookup ON price (operation, years, valid_from);

-- Percentage rebates of incentive agreements (R24), in basis points.
CREATE TABLE rebate (
    registrar_id BIGINT NOT NULL REFERENCES registrar (id),
    basis_points INTEGER NOT NULL CHECK (basis_points BETWEEN 0 AND 10000),
    valid_from BIGINT NOT NULL,
    PRIMARY KEY (registrar_id, valid_from)
);

CREATE TABLE invoice (
    id {{id}},
    number BIGINT NOT NULL UNIQUE,        -- gapless, from 1
    registrar_id BIGINT NOT NULL REFERENCES registrar (id),
    kind TEXT NOT NULL CHECK (kind IN ('monthly', 'oneoff')),
    period TEXT,                          -- YYYY-MM for monthly invoices
    issued_at BIGINT NOT NULL,
    total BIGINT NOT NULL,
    currency TEXT NOT NULL
);
CREATE UNIQUE INDEX invoice_monthly ON invoice (registrar_id, period) WHERE kind = 'monthly';

-- What the gaining registrar paid for a transfer, refunded if it fails.
ALTER TABLE transfer ADD COLUMN charged BIGINT NOT NULL DEFAULT 0;
