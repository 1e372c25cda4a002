-- The serverHold of a registrant whose identity check failed says what to
-- do, without a rule id (issue 11). idcheck.c finds the hold to lift by
-- its message (IDCHECK_HOLD_MESSAGE), so holds set under the earlier text
-- take the new one.
UPDATE object_status
    SET message = 'identity check of the registrant failed: out of the zone until the registrant proves their identity to the registry'
    WHERE object_kind = 'domain' AND status = 'serverHold'
    AND message = 'identity check of the registrant failed (R22)';
