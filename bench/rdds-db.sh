#!/bin/sh
# The database of the lookup benchmarks (WHOIS and RDAP; docs/performance.md):
# `regctl init --demo` on CONFIG, then DOMAINS domains d1.dk … dN.dk written
# with sqlite3 straight into its SQLite file DB, each with a person
# registrant, an organisation as admin contact and two name servers.
#
#   [RDDS_DB_CACHE=FILE] sh bench/rdds-db.sh BUILD_DIR CONFIG DB DOMAINS
#
# RDDS_DB_CACHE: a copy of the finished database kept in FILE, and taken
# from there when FILE exists (made by this script for the same DOMAINS and
# schema: remove it after a schema change), to save its minute when several
# runs follow one another.
set -eu
B=$1
N=$4
"$B/regctl" --config "$2" init --demo > /dev/null

if [ -n "${RDDS_DB_CACHE:-}" ] && [ -f "$RDDS_DB_CACHE" ]; then
    rm -f "$3-wal" "$3-shm"
    cp "$RDDS_DB_CACHE" "$3"
    echo "database: $(sqlite3 "$3" 'SELECT count(*) FROM domain') domains from $RDDS_DB_CACHE"
    exit 0
fi

t0=$(date +%s)
sqlite3 "$3" <<EOF
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO contact (handle, sponsor_id, creator_id, kind, email, voice, created_at)
    SELECT 'DEMO:HOLDER', id, id, 'person', 'holder@example.test', '+45.12345678',
           strftime('%s', 'now') FROM registrar WHERE handle = 'DEMO';
INSERT INTO contact_postal (contact_id, type, name, street1, city, pc, cc)
    SELECT id, 'loc', 'Jens Hansen', 'Vestergade 1', 'Aarhus C', '8000', 'DK'
    FROM contact WHERE handle = 'DEMO:HOLDER';
INSERT INTO contact (handle, sponsor_id, creator_id, kind, email, created_at)
    SELECT 'DEMO:ORG', id, id, 'organization', 'info@example.test', strftime('%s', 'now')
    FROM registrar WHERE handle = 'DEMO';
INSERT INTO contact_postal (contact_id, type, name, org, street1, city, pc, cc)
    SELECT id, 'int', 'Hostmaster', 'Example A/S', 'Havnen 2', 'Odense', '5000', 'DK'
    FROM contact WHERE handle = 'DEMO:ORG';
INSERT INTO host (name, sponsor_id, creator_id, created_at)
    SELECT 'ns1.example.net', id, id, strftime('%s', 'now') FROM registrar WHERE handle = 'DEMO';
INSERT INTO host (name, sponsor_id, creator_id, created_at)
    SELECT 'ns2.example.net', id, id, strftime('%s', 'now') FROM registrar WHERE handle = 'DEMO';
INSERT INTO domain (name, uname, sponsor_id, creator_id, registrant_id, created_at, expires_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
    SELECT 'd' || i || '.dk', 'd' || i || '.dk', r.id, r.id, c.id, strftime('%s', 'now'),
           strftime('%s', 'now') + 365 * 86400
    FROM n, registrar r, contact c WHERE r.handle = 'DEMO' AND c.handle = 'DEMO:HOLDER';
INSERT INTO domain_contact (domain_id, contact_id, role)
    SELECT d.id, c.id, 'admin' FROM domain d, contact c WHERE c.handle = 'DEMO:ORG';
INSERT INTO domain_host (domain_id, host_id) SELECT d.id, h.id FROM domain d, host h;
COMMIT;
ANALYZE;
EOF
echo "database: $N domains in $(( $(date +%s) - t0 )) s"
if [ -n "${RDDS_DB_CACHE:-}" ]; then
    sqlite3 "$3" 'PRAGMA wal_checkpoint(TRUNCATE);' > /dev/null
    cp "$3" "$RDDS_DB_CACHE"
fi
