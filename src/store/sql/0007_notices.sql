-- R11: one expiry notice per expiry. expiry_notice_for is the expires_at
-- the notice was sent for: a renewal moves expires_at, so a later expiry
-- is notified again, while the same expiry never is.
ALTER TABLE domain ADD COLUMN expiry_notice_for BIGINT;
