-- R19: the registry records a registrant's payment of its invoice (regctl
-- invoice paid): when, the payment's reference (the bank's, say) and who
-- recorded it. NULL paid_at: not paid.
ALTER TABLE registrant_invoice ADD COLUMN paid_at BIGINT;
ALTER TABLE registrant_invoice ADD COLUMN payment_ref TEXT;
ALTER TABLE registrant_invoice ADD COLUMN paid_by TEXT;
