#!/bin/sh
# WHOIS benchmark (issue 15; docs/performance.md): a SQLite database of
# DOMAINS domains (default 1,000,000; each with a person registrant, an
# organisation admin, two name servers) made with sqlite3, then in one run
# the same listener twice: answering from the database, and with
# [whois] canned = true (the fixed answer, no database: the baseline).
# whoisbench drives each for SECONDS with C queries in flight.
#
#   [WHOIS_THREADS=N] sh bench/whois-bench.sh [BUILD_DIR] [DOMAINS] [SECONDS] [C]
#
# WHOIS_THREADS sets [whois] threads of both listeners (default: the
# configuration's default); whoisbench's connections come from 16 source
# addresses, so several loops share them.
# Prints whoisbench's lines; the scratch directory is removed at the end.
set -eu
B=$(cd "${1:-build}" && pwd)
N=${2:-1000000}
SECS=${3:-10}
CONC=${4:-64}
DIR=$(mktemp -d /tmp/whoisbench.XXXXXX)
. "$(dirname "$0")/daemon.sh"

conf() { # conf FILE CANNED
    daemon_config "$1"
    cat >> "$1" <<EOF
[whois]
listen = 127.0.0.1:0
rate = 0
max_connections = 4096
max_connections_per_source = 4096
canned = $2
EOF
    if [ -n "${WHOIS_THREADS:-}" ]; then echo "threads = $WHOIS_THREADS" >> "$1"; fi
}
conf "$DIR/real.ini" false
conf "$DIR/canned.ini" true
sh "$(dirname "$0")/rdds-db.sh" "$B" "$DIR/real.ini" "$DIR/registry.db" "$N"

daemon_start "$DIR/real.ini" whois
REAL=$PORT
echo "[whois] threads = ${WHOIS_THREADS:-default}"
daemon_start "$DIR/canned.ini" whois
CANNED=$PORT
# a warm-up, then each listener in turn (the other idle)
"$B/whoisbench" --port "$REAL" --range "$N" --duration 2 --concurrency "$CONC" > /dev/null
"$B/whoisbench" --port "$CANNED" --duration 1 --concurrency "$CONC" > /dev/null
"$B/whoisbench" --port "$REAL" --range "$N" --duration "$SECS" --concurrency "$CONC" \
    --label "domain lookups, $N domains"
"$B/whoisbench" --port "$CANNED" --range "$N" --duration "$SECS" --concurrency "$CONC" \
    --label "canned answer"
"$B/whoisbench" --port "$REAL" --names nothing-here.dk --duration "$SECS" \
    --concurrency "$CONC" --label "no match"
