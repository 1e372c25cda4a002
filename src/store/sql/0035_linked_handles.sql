-- Linked WHOIS handles (DESIGN §4, R28-R31; issue 16, seed 000).
-- registrar.contact_id: the registrar's own handle, a contact it sponsors;
-- link candidates are the handles whose data equal it (R29).
-- contact.linked_registrar_id: the registrar whose portal manages the
-- contact; a linked contact cannot log in to self-service (R31).
ALTER TABLE registrar ADD COLUMN contact_id BIGINT REFERENCES contact (id);
ALTER TABLE contact ADD COLUMN linked_registrar_id BIGINT REFERENCES registrar (id);
CREATE INDEX contact_linked_registrar ON contact (linked_registrar_id);
