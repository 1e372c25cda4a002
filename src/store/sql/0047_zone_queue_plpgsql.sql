-- PostgreSQL: the zone queue's functions (0018) in PL/pgSQL instead of
-- SQL. A SQL function that a trigger calls through PERFORM is planned
-- again at every call; a PL/pgSQL one keeps its plans for the session.
-- The trigger of every domain insert spent about 80 µs of the server's
-- CPU there, half of the INSERT's cost, with or without a primary to
-- publish to (issue 18, pg_stat_statements). Same arguments, same rows.
-- A name that is both a parameter and a column means the parameter,
-- whatever columns the tables get later.
{{pgsql}}
CREATE OR REPLACE FUNCTION zone_queue(owner TEXT, what TEXT) RETURNS void LANGUAGE plpgsql AS $$
#variable_conflict use_variable
BEGIN
    IF owner IS NOT NULL AND EXISTS (SELECT 1 FROM zone_primary) THEN
        INSERT INTO zone_change (name, kind, queued_at)
        VALUES (owner, what, CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT));
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION zone_queue_domain_id(domain_id BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
#variable_conflict use_variable
BEGIN
    PERFORM zone_queue((SELECT d.name FROM domain d WHERE d.id = domain_id), 'domain');
END
$$;

-- the glue of in-bailiwick hosts only
CREATE OR REPLACE FUNCTION zone_queue_host_id(host_id BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
#variable_conflict use_variable
BEGIN
    PERFORM zone_queue((SELECT h.name FROM host h WHERE h.id = host_id
                        AND h.superordinate_id IS NOT NULL), 'host');
END
$$;
{{end}}
