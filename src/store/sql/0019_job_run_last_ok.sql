-- When each job last succeeded (the start of that run, like last_start):
-- /health and /metrics report a job that has not succeeded for three of
-- its intervals (docs/operations.md "Monitoring"). A job whose last run
-- was good succeeded then.
ALTER TABLE job_run ADD COLUMN last_ok BIGINT;
UPDATE job_run SET last_ok = last_start WHERE last_status = 'ok';
