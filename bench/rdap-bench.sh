#!/bin/sh
# RDAP benchmark (issue 15; docs/performance.md): a SQLite database of
# DOMAINS domains (default 1,000,000; bench/rdds-db.sh), then one registryd
# serving HTTP and, side by side in one run on the same listener and
# connections, domain lookups of random names among them and the canned
# answer (/rdap/help: built once at start, no database, the same route,
# rate check and headers), then names that do not exist. rdapbench drives
# each for SECONDS over C keep-alive connections.
#
#   [HTTP_THREADS=N] sh bench/rdap-bench.sh [BUILD_DIR] [DOMAINS] [SECONDS] [C]
#
# HTTP_THREADS sets [http] threads (default 1); rdapbench's connections
# come from 16 source addresses, so several loops share them.
# Prints rdapbench's lines; the scratch directory is removed at the end.
set -eu
B=$(cd "${1:-build}" && pwd)
N=${2:-1000000}
SECS=${3:-10}
CONC=${4:-32}
THREADS=${HTTP_THREADS:-1}
DIR=$(mktemp -d /tmp/rdapbench.XXXXXX)
. "$(dirname "$0")/daemon.sh"

daemon_config "$DIR/c.ini"
cat >> "$DIR/c.ini" <<EOF2
[http]
listen = 127.0.0.1:0
max_connections = 4096
threads = $THREADS
[rdap]
rate = 0
EOF2
sh "$(dirname "$0")/rdds-db.sh" "$B" "$DIR/c.ini" "$DIR/registry.db" "$N"

daemon_start "$DIR/c.ini" http
echo "[http] threads = $THREADS"

R="$B/rdapbench --port $PORT --concurrency $CONC"
# a warm-up, then each kind of request in turn
$R --range "$N" --duration 2 > /dev/null
$R --range "$N" --duration "$SECS" --label "domain lookups, $N domains"
$R --path /rdap/help --duration "$SECS" --label "canned answer (/rdap/help)"
$R --path /rdap/domain/nothing-here.dk --duration "$SECS" --label "not found"
