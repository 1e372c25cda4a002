-- Invoicing and ledger audit (R17, R23, R24; DESIGN §4 "invoice + lines").
-- An invoice is a stored document: its lines are copies of the ledger rows
-- it covers (ledger_id UNIQUE: a row is never invoiced twice), its number
-- comes from a one-row counter that is locked and incremented in the
-- transaction that issues it, so numbers have no gaps.

CREATE TABLE invoice_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last BIGINT NOT NULL
);
INSERT INTO invoice_counter (id, last) SELECT 1, COALESCE(MAX(number), 0) FROM invoice;

ALTER TABLE invoice ADD COLUMN billed_to TEXT;   -- registrar name when issued
ALTER TABLE invoice ADD COLUMN period_end BIGINT; -- monthly: entries before this

CREATE TABLE invoice_line (
    invoice_id BIGINT NOT NULL REFERENCES invoice (id),
    line_no INTEGER NOT NULL,
    ledger_id BIGINT NOT NULL UNIQUE REFERENCES ledger (id),
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    operation TEXT,
    years INTEGER,
    object_name TEXT,
    svtrid TEXT,
    text TEXT NOT NULL,
    amount BIGINT NOT NULL,               -- charged: + debit, - refund/credit note
    PRIMARY KEY (invoice_id, line_no)
);

CREATE INDEX ledger_uninvoiced ON ledger (registrar_id, invoice_id, at);

-- Who posted a ledger row (staff through regctl, a registrar over EPP, a job).
ALTER TABLE ledger ADD COLUMN actor TEXT;
ALTER TABLE ledger ADD COLUMN channel TEXT;

-- One price per operation, period, registrar (or the default) and start.
CREATE UNIQUE INDEX price_key ON price (operation, years, (COALESCE(registrar_id, 0)), valid_from);
