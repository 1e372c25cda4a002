-- Publication of the TLD zone (DESIGN §9, docs/zone.md): one row.
--
-- serial: the last SOA serial given out, by a full export or an update.
-- The next is max(the clock's seconds, serial + 1): from the clock, yet
-- strictly increasing when two runs fall in one second or the clock is
-- moved back.
--
-- published_*: the last zone file written to [zone] file (a staff export
-- to another file is not recorded); published_delegations is what the
-- safety guard compares the next run with.
--
-- held_*: the guard refused a run (it would have removed more than
-- [zone] max_shrink of the delegations); set until a run is published
-- (regctl zone export --force). guard_refusals counts refused runs ever.
--
-- error_*: the last failure of a publication, cleared by the next success.
CREATE TABLE zone_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    serial BIGINT NOT NULL DEFAULT 0,
    published_at BIGINT,
    published_serial BIGINT,
    published_delegations BIGINT,
    held_at BIGINT,
    held_delegations BIGINT,
    guard_refusals BIGINT NOT NULL DEFAULT 0,
    error_at BIGINT,
    error TEXT
);
INSERT INTO zone_state (id) VALUES (1);
