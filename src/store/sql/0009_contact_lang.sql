-- The language of the registry's messages to a contact (notify/templates):
-- NULL = automatic (by the country of its postal address, else [mail]
-- language); en, da, nb or et = set by staff (regctl contact lang). The
-- column of 0003 (NOT NULL DEFAULT 'en', never used) is replaced, because
-- SQLite cannot drop a NOT NULL constraint in place.
ALTER TABLE contact DROP COLUMN lang;
ALTER TABLE contact ADD COLUMN lang TEXT CHECK (lang IN ('en', 'da', 'nb', 'et'));
