-- Incremental publication to a DNS primary (DESIGN §9, docs/zone.md
-- "Incremental publication"). Triggers on every table the zone is made of
-- queue the name a change touches, in the transaction of the change, so
-- every writer (EPP, regctl, the lifecycle jobs) is caught and a change
-- is queued exactly when it commits. The publisher reads the queue in id
-- order, sends the names' current state as DNS UPDATEs and deletes the rows
-- it delivered.
--
-- The queue fills only while zone_primary has its row: registryd writes it
-- when it publishes to a primary ([zone] primary) and removes it, with the
-- queue, when none is configured, so a registry without a primary keeps no
-- queue. A publisher that starts brings the primary level from the data
-- (AXFR and difference), so what changed while no row was there is not lost.
-- queued_at is the database's wall clock (seconds): how long a change has
-- waited, not business time.

CREATE TABLE zone_change (
    id {{id}},
    name TEXT NOT NULL,                   -- domain or host name, A-label
    kind TEXT NOT NULL CHECK (kind IN ('domain', 'host')),
    queued_at BIGINT NOT NULL
);

-- One row while a primary is published to: where, and how it went.
-- Times are wall-clock seconds.
CREATE TABLE zone_primary (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    address TEXT NOT NULL,                -- [zone] primary, HOST:PORT
    since BIGINT NOT NULL,
    serial BIGINT,                        -- the primary's SOA serial after our last change
    delegations BIGINT,                   -- delegations published there (level + stream)
    levelled_at BIGINT,                   -- last AXFR + difference
    sent_at BIGINT,                       -- last UPDATE accepted
    sent_total BIGINT NOT NULL DEFAULT 0, -- names sent since `since`
    last_error TEXT,                      -- NULL once an UPDATE or level succeeds again
    last_error_at BIGINT
);

{{sqlite}}
-- What the PostgreSQL functions below do, for SQLite's triggers (which
-- take no arguments): a row inserted into one of these views is queued
-- by its INSTEAD OF trigger, when a primary is published to (the gate).
-- By name; by a domain's id; by a host's id, for in-bailiwick hosts only
-- (the only ones with glue).
CREATE VIEW zone_queue_name (name, kind) AS SELECT NULL, NULL WHERE 0;
CREATE TRIGGER zone_queue_name INSTEAD OF INSERT ON zone_queue_name
WHEN NEW.name IS NOT NULL AND EXISTS (SELECT 1 FROM zone_primary) BEGIN
    INSERT INTO zone_change (name, kind, queued_at)
    VALUES (NEW.name, NEW.kind, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE VIEW zone_queue_domain (domain_id) AS SELECT NULL WHERE 0;
CREATE TRIGGER zone_queue_domain INSTEAD OF INSERT ON zone_queue_domain BEGIN
    INSERT INTO zone_queue_name SELECT name, 'domain' FROM domain WHERE id = NEW.domain_id;
END;
CREATE VIEW zone_queue_host (host_id) AS SELECT NULL WHERE 0;
CREATE TRIGGER zone_queue_host INSTEAD OF INSERT ON zone_queue_host BEGIN
    INSERT INTO zone_queue_name SELECT name, 'host' FROM host
    WHERE id = NEW.host_id AND superordinate_id IS NOT NULL;
END;

CREATE TRIGGER zone_domain_insert AFTER INSERT ON domain BEGIN
    INSERT INTO zone_queue_name VALUES (NEW.name, 'domain');
END;
CREATE TRIGGER zone_domain_delete AFTER DELETE ON domain BEGIN
    INSERT INTO zone_queue_name VALUES (OLD.name, 'domain');
END;
-- the columns that keep a domain out of the zone (zone_data.h): deleted
-- into redemption, suspended by a failed identity check
CREATE TRIGGER zone_domain_update AFTER UPDATE OF delete_requested_at, idcheck_delete_at ON domain
WHEN OLD.delete_requested_at IS NOT NEW.delete_requested_at
     OR OLD.idcheck_delete_at IS NOT NEW.idcheck_delete_at BEGIN
    INSERT INTO zone_queue_name VALUES (NEW.name, 'domain');
END;

-- a name server added or removed: the delegation, and the glue of an
-- in-bailiwick host (it may be needed now, or no longer)
CREATE TRIGGER zone_domain_host_insert AFTER INSERT ON domain_host BEGIN
    INSERT INTO zone_queue_domain VALUES (NEW.domain_id);
    INSERT INTO zone_queue_host VALUES (NEW.host_id);
END;
CREATE TRIGGER zone_domain_host_delete AFTER DELETE ON domain_host BEGIN
    INSERT INTO zone_queue_domain VALUES (OLD.domain_id);
    INSERT INTO zone_queue_host VALUES (OLD.host_id);
END;

CREATE TRIGGER zone_ds_insert AFTER INSERT ON ds_record BEGIN
    INSERT INTO zone_queue_domain VALUES (NEW.domain_id);
END;
CREATE TRIGGER zone_ds_delete AFTER DELETE ON ds_record BEGIN
    INSERT INTO zone_queue_domain VALUES (OLD.domain_id);
END;
CREATE TRIGGER zone_ds_update AFTER UPDATE ON ds_record BEGIN
    INSERT INTO zone_queue_domain SELECT OLD.domain_id UNION SELECT NEW.domain_id;
END;

-- statuses decide whether a domain is published (holds, pendingDelete)
CREATE TRIGGER zone_status_insert AFTER INSERT ON object_status
WHEN NEW.object_kind = 'domain' BEGIN
    INSERT INTO zone_queue_domain VALUES (NEW.object_id);
END;
CREATE TRIGGER zone_status_delete AFTER DELETE ON object_status
WHEN OLD.object_kind = 'domain' BEGIN
    INSERT INTO zone_queue_domain VALUES (OLD.object_id);
END;
CREATE TRIGGER zone_status_update AFTER UPDATE ON object_status
WHEN 'domain' IN (OLD.object_kind, NEW.object_kind) BEGIN
    INSERT INTO zone_queue_domain SELECT OLD.object_id WHERE OLD.object_kind = 'domain'
    UNION SELECT NEW.object_id WHERE NEW.object_kind = 'domain';
END;

-- glue: the addresses of in-bailiwick hosts
CREATE TRIGGER zone_address_insert AFTER INSERT ON host_address BEGIN
    INSERT INTO zone_queue_host VALUES (NEW.host_id);
END;
CREATE TRIGGER zone_address_delete AFTER DELETE ON host_address BEGIN
    INSERT INTO zone_queue_host VALUES (OLD.host_id);
END;
CREATE TRIGGER zone_address_update AFTER UPDATE ON host_address BEGIN
    INSERT INTO zone_queue_host SELECT OLD.host_id UNION SELECT NEW.host_id;
END;

-- a renamed host: its glue under both names, and the NS sets naming it
CREATE TRIGGER zone_host_rename AFTER UPDATE OF name, superordinate_id ON host
WHEN OLD.name IS NOT NEW.name OR OLD.superordinate_id IS NOT NEW.superordinate_id BEGIN
    INSERT INTO zone_queue_name VALUES (OLD.name, 'host'), (NEW.name, 'host');
    INSERT INTO zone_queue_domain SELECT domain_id FROM domain_host WHERE host_id = NEW.id;
END;
CREATE TRIGGER zone_host_delete AFTER DELETE ON host
WHEN OLD.superordinate_id IS NOT NULL BEGIN
    INSERT INTO zone_queue_name VALUES (OLD.name, 'host');
END;
{{end}}

{{pgsql}}
-- One row of the queue, when a primary is published to (the gate) and
-- there is a name (a row whose domain or host is gone has none).
CREATE FUNCTION zone_queue(owner TEXT, what TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO zone_change (name, kind, queued_at)
    SELECT owner, what, CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS BIGINT)
    WHERE owner IS NOT NULL AND EXISTS (SELECT 1 FROM zone_primary)
$$;

CREATE FUNCTION zone_queue_domain_id(domain_id BIGINT) RETURNS void LANGUAGE sql AS $$
    SELECT zone_queue((SELECT name FROM domain WHERE id = domain_id), 'domain')
$$;

-- the glue of in-bailiwick hosts only
CREATE FUNCTION zone_queue_host_id(host_id BIGINT) RETURNS void LANGUAGE sql AS $$
    SELECT zone_queue((SELECT name FROM host WHERE id = host_id
                       AND superordinate_id IS NOT NULL), 'host')
$$;

CREATE FUNCTION zone_change_domain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM zone_queue(OLD.name, 'domain');
    ELSE
        PERFORM zone_queue(NEW.name, 'domain');
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER zone_domain AFTER INSERT OR DELETE ON domain
FOR EACH ROW EXECUTE FUNCTION zone_change_domain();
-- the columns that keep a domain out of the zone (zone_data.h): deleted
-- into redemption, suspended by a failed identity check
CREATE TRIGGER zone_domain_update AFTER UPDATE OF delete_requested_at, idcheck_delete_at ON domain
FOR EACH ROW WHEN (OLD.delete_requested_at IS DISTINCT FROM NEW.delete_requested_at
                   OR OLD.idcheck_delete_at IS DISTINCT FROM NEW.idcheck_delete_at)
EXECUTE FUNCTION zone_change_domain();

-- A row that names a domain (domain_id) or a host (host_id): the name,
-- before and after the change. TG_ARGV[0] is the column.
CREATE FUNCTION zone_change_ref() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col TEXT := TG_ARGV[0];
    refs BIGINT[] := ARRAY[]::BIGINT[];
    ref BIGINT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        refs := refs || (to_jsonb(OLD) ->> col)::BIGINT;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        refs := refs || (to_jsonb(NEW) ->> col)::BIGINT;
    END IF;
    FOREACH ref IN ARRAY refs LOOP
        IF col = 'domain_id' THEN
            PERFORM zone_queue_domain_id(ref);
        ELSE
            PERFORM zone_queue_host_id(ref);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- a name server added or removed: the delegation, and the glue of an
-- in-bailiwick host (it may be needed now, or no longer)
CREATE TRIGGER zone_domain_host_domain AFTER INSERT OR DELETE ON domain_host
FOR EACH ROW EXECUTE FUNCTION zone_change_ref('domain_id');
CREATE TRIGGER zone_domain_host_host AFTER INSERT OR DELETE ON domain_host
FOR EACH ROW EXECUTE FUNCTION zone_change_ref('host_id');
CREATE TRIGGER zone_ds AFTER INSERT OR UPDATE OR DELETE ON ds_record
FOR EACH ROW EXECUTE FUNCTION zone_change_ref('domain_id');
-- glue: the addresses of in-bailiwick hosts
CREATE TRIGGER zone_address AFTER INSERT OR UPDATE OR DELETE ON host_address
FOR EACH ROW EXECUTE FUNCTION zone_change_ref('host_id');

-- statuses decide whether a domain is published (holds, pendingDelete)
CREATE FUNCTION zone_change_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.object_kind = 'domain' THEN
        PERFORM zone_queue_domain_id(OLD.object_id);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.object_kind = 'domain' THEN
        PERFORM zone_queue_domain_id(NEW.object_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER zone_status AFTER INSERT OR UPDATE OR DELETE ON object_status
FOR EACH ROW EXECUTE FUNCTION zone_change_status();

-- a renamed host: its glue under both names, and the NS sets naming it;
-- a deleted in-bailiwick host: its glue
CREATE FUNCTION zone_change_host() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.superordinate_id IS NOT NULL THEN
            PERFORM zone_queue(OLD.name, 'host');
        END IF;
    ELSIF NEW.name IS DISTINCT FROM OLD.name
          OR NEW.superordinate_id IS DISTINCT FROM OLD.superordinate_id THEN
        PERFORM zone_queue(OLD.name, 'host');
        PERFORM zone_queue(NEW.name, 'host');
        PERFORM zone_queue(d.name, 'domain')
        FROM domain_host dh JOIN domain d ON d.id = dh.domain_id WHERE dh.host_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER zone_host AFTER UPDATE OR DELETE ON host
FOR EACH ROW EXECUTE FUNCTION zone_change_host();
{{end}}
