-- How many due domains a lifecycle job's last run left when its time
-- budget ([jobs] budget) ran out: while it is above 0 the scheduler runs
-- the job again at its next tick instead of after its interval.
ALTER TABLE job_run ADD COLUMN left_due BIGINT NOT NULL DEFAULT 0;
