-- Identity checks of registrants (R21, R22). contact.idcheck_state and
-- idcheck_deadline exist since 0003; a decision adds how it was made
-- (eid: an eID provider; documents: staff reviewed papers), by whom, when
-- and why. A failed check suspends the registrant's domains (serverHold)
-- and schedules their deletion: domain.idcheck_delete_at.

ALTER TABLE contact ADD COLUMN idcheck_method TEXT
    CHECK (idcheck_method IN ('eid', 'documents'));
ALTER TABLE contact ADD COLUMN idcheck_by TEXT;      -- staff, job:…, the provider
ALTER TABLE contact ADD COLUMN idcheck_at BIGINT;    -- when the state last changed
ALTER TABLE contact ADD COLUMN idcheck_note TEXT;
CREATE INDEX contact_idcheck ON contact (idcheck_state, idcheck_deadline);

ALTER TABLE domain ADD COLUMN idcheck_delete_at BIGINT;
CREATE INDEX domain_idcheck_delete ON domain (idcheck_delete_at);
