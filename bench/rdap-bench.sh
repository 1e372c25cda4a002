#!/bin/sh
# RDAP benchmark (issue 15; docs/performance.md): a SQLite database of
# DOMAINS domains (default 1,000,000; bench/rdds-db.sh), then in one run:
#   - domain lookups of random names among them (/rdap/domain/dN.dk);
#   - the canned domain answer: a second registryd with [rdap] canned = true
#     asked the same random names, each answered with one fixed domain
#     answer of the same size and shape (built once at start by the code of
#     real answers; no database read, the same route, rate check and
#     headers): the baseline, so lookups / canned measures the lookup;
#   - /rdap/help on the first registryd (a small fixed document, the
#     baseline of the runs before 2026-12-07), for comparison;
#   - names that do not exist.
# rdapbench drives each for SECONDS over C keep-alive connections, the
# other daemon idle; the ratios of lookups to both baselines close the run.
#
#   [HTTP_THREADS=N] [CANNED_BUILD=DIR] sh bench/rdap-bench.sh [BUILD_DIR] [DOMAINS] [SECONDS] [C]
#
# HTTP_THREADS sets [http] threads of both daemons (default 1); rdapbench's
# connections come from 16 source addresses, so several loops share them.
# CANNED_BUILD: the build whose registryd serves the canned answer (default
# BUILD_DIR; a build from before [rdap] canned existed needs one that has it).
# Prints rdapbench's lines; the scratch directory is removed at the end.
set -eu
B=$(cd "${1:-build}" && pwd)
N=${2:-1000000}
SECS=${3:-10}
CONC=${4:-32}
THREADS=${HTTP_THREADS:-1}
CB=$(cd "${CANNED_BUILD:-$B}" && pwd)
DIR=$(mktemp -d /tmp/rdapbench.XXXXXX)
. "$(dirname "$0")/daemon.sh"

conf() { # conf FILE CANNED
    daemon_config "$1"
    cat >> "$1" <<EOF2
[http]
listen = 127.0.0.1:0
max_connections = 4096
threads = $THREADS
[rdap]
rate = 0
canned = $2
EOF2
}
conf "$DIR/c.ini" false
conf "$DIR/canned.ini" true
sh "$(dirname "$0")/rdds-db.sh" "$B" "$DIR/c.ini" "$DIR/registry.db" "$N"

daemon_start "$DIR/c.ini" http
REAL=$PORT
B0=$B
B=$CB
daemon_start "$DIR/canned.ini" http
B=$B0
CANNED=$PORT
echo "[http] threads = $THREADS; canned answers by $CB/registryd"
size() { curl -s "http://127.0.0.1:$1$2" | wc -c; }
echo "answer bytes: lookup of d1.dk $(size "$REAL" /rdap/domain/d1.dk)," \
    "canned domain answer $(size "$CANNED" /rdap/domain/d1.dk), /rdap/help $(size "$REAL" /rdap/help)"

rate() { sed -n 's/.* \([0-9]*\) requests\/s.*/\1/p' "$1"; }
R="$B/rdapbench --concurrency $CONC"
# a warm-up of each, then each kind of request in turn
$R --port "$REAL" --range "$N" --duration 2 > /dev/null
$R --port "$CANNED" --range "$N" --duration 1 > /dev/null
$R --port "$REAL" --range "$N" --duration "$SECS" --label "domain lookups, $N domains" \
    | tee "$DIR/lookups"
$R --port "$CANNED" --range "$N" --duration "$SECS" \
    --label "canned domain answer ([rdap] canned)" | tee "$DIR/canned"
$R --port "$REAL" --path /rdap/help --duration "$SECS" --label "/rdap/help" | tee "$DIR/help"
$R --port "$REAL" --path /rdap/domain/nothing-here.dk --duration "$SECS" --label "not found"
L=$(rate "$DIR/lookups") C=$(rate "$DIR/canned") H=$(rate "$DIR/help")
echo "lookups / canned domain answer: $((L * 1000 / C / 10)).$((L * 1000 / C % 10)) %;" \
    "lookups / /rdap/help: $((L * 1000 / H / 10)).$((L * 1000 / H % 10)) %"
