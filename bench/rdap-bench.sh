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
# other daemon idle; after each, registryd's CPU time a request (from
# /proc). The ratios of lookups to both baselines close the run, and the
# ratio of CPU a request (canned / lookup).
#
#   [HTTP_THREADS=N] [CANNED_BUILD=DIR] sh bench/rdap-bench.sh [BUILD_DIR] [DOMAINS] [SECONDS] [C]
#
# HTTP_THREADS sets [http] threads of both daemons (default 1); rdapbench's
# connections come from 16 source addresses, so several loops share them.
# CANNED_BUILD: the build whose registryd serves the canned answer (default
# BUILD_DIR; a build from before [rdap] canned existed needs one that has it).
# PERF="perf COMMAND OPTIONS": run on the lookups' registryd during their
# run, with `-p PID -- sleep SECONDS` added; for instance
# PERF="perf record -g -o /tmp/rdap.perf" (then perf report -i /tmp/rdap.perf)
# or PERF="perf stat -e syscalls:sys_enter_pread64 -o /tmp/rdap.stat".
# ROUNDS=N (default 1) measures the lookups and the canned answer N times in
# turn, so drift in the machine's load falls on both; LOOKUP_A=DIR adds,
# in each round before the lookups of BUILD_DIR, those of DIR's registryd
# (an older build, on the same database): an A/B of the lookup in one run.
# Prints rdapbench's lines; the scratch directory is removed at the end.
set -eu
B=$(cd "${1:-build}" && pwd)
N=${2:-1000000}
SECS=${3:-10}
CONC=${4:-32}
THREADS=${HTTP_THREADS:-1}
CB=$(cd "${CANNED_BUILD:-$B}" && pwd)
ROUNDS=${ROUNDS:-1}
LA=${LOOKUP_A:+$(cd "$LOOKUP_A" && pwd)}
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
EOF2
    # only where it is on: a build from before the setting reads the other
    if [ "$2" = true ]; then echo "canned = true" >> "$1"; fi
}
conf "$DIR/c.ini" false
conf "$DIR/canned.ini" true
sh "$(dirname "$0")/rdds-db.sh" "$B" "$DIR/c.ini" "$DIR/registry.db" "$N"

daemon_start "$DIR/c.ini" http
REAL=$PORT
REAL_PID=${PIDS##* }
B0=$B
B=$CB
daemon_start "$DIR/canned.ini" http
B=$B0
CANNED=$PORT
CANNED_PID=${PIDS##* }
if [ -n "$LA" ]; then
    cp "$DIR/c.ini" "$DIR/a.ini"
    B=$LA
    daemon_start "$DIR/a.ini" http
    B=$B0
    APORT=$PORT
    A_PID=${PIDS##* }
fi
echo "[http] threads = $THREADS; canned answers by $CB/registryd${LA:+; lookups A by $LA/registryd}"
size() { curl -s "http://127.0.0.1:$1$2" | wc -c; }
echo "answer bytes: lookup of d1.dk $(size "$REAL" /rdap/domain/d1.dk)," \
    "canned domain answer $(size "$CANNED" /rdap/domain/d1.dk), /rdap/help $(size "$REAL" /rdap/help)"

rate() { sed -n 's/.* \([0-9]*\) requests\/s.*/\1/p' "$1"; }
answers() { sed -n 's/^.*: \([0-9]*\) answers in .*/\1/p' "$1"; }
# registryd's CPU time so far (user + system), in clock ticks
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
# run PID OUT RDAPBENCH-ARGS...: rdapbench's line, then registryd's CPU
# time a request in that run (less moved than the rate by what else runs
# on the machine: the client's share of the two cores, other sessions)
run() {
    pid=$1 out=$2
    shift 2
    t0=$(ticks "$pid")
    $R "$@" | tee "$out"
    t1=$(ticks "$pid")
    echo "  registryd CPU: $(( (t1 - t0) * 1000000 / HZ / $(answers "$out") )) us a request" \
        | tee -a "$out"
}
cpu() { sed -n 's/.*registryd CPU: \([0-9]*\) us.*/\1/p' "$1"; }
pct() { echo "$(($1 * 1000 / $2 / 10)).$(($1 * 1000 / $2 % 10)) %"; }
R="$B/rdapbench --concurrency $CONC"
# a warm-up of each, then each kind of request in turn
$R --port "$REAL" --range "$N" --duration 2 > /dev/null
$R --port "$CANNED" --range "$N" --duration 1 > /dev/null
if [ -n "$LA" ]; then $R --port "$APORT" --range "$N" --duration 2 > /dev/null; fi
r=1
while [ "$r" -le "$ROUNDS" ]; do
    [ "$ROUNDS" = 1 ] || echo "--- round $r (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    if [ -n "$LA" ]; then
        run "$A_PID" "$DIR/lookups-a" --port "$APORT" --range "$N" --duration "$SECS" \
            --label "A: domain lookups, $N domains"
    fi
    if [ -n "${PERF:-}" ]; then
        $PERF -p "$REAL_PID" -- sleep "$SECS" 2> /dev/null &
        PERF_PID=$!
    fi
    run "$REAL_PID" "$DIR/lookups" --port "$REAL" --range "$N" --duration "$SECS" \
        --label "domain lookups, $N domains"
    if [ -n "${PERF:-}" ]; then wait "$PERF_PID" || true; fi
    run "$CANNED_PID" "$DIR/canned" --port "$CANNED" --range "$N" --duration "$SECS" \
        --label "canned domain answer ([rdap] canned)"
    if [ "$ROUNDS" != 1 ] || [ -n "$LA" ]; then
        echo "  round $r: lookups / canned $(pct "$(rate "$DIR/lookups")" "$(rate "$DIR/canned")")${LA:+, A's lookups / canned $(pct "$(rate "$DIR/lookups-a")" "$(rate "$DIR/canned")")}"
    fi
    r=$((r + 1))
done
run "$REAL_PID" "$DIR/help" --port "$REAL" --path /rdap/help --duration "$SECS" \
    --label "/rdap/help"
run "$REAL_PID" "$DIR/missing" --port "$REAL" --path /rdap/domain/nothing-here.dk \
    --duration "$SECS" --label "not found"
L=$(rate "$DIR/lookups") C=$(rate "$DIR/canned") H=$(rate "$DIR/help")
echo "lookups / canned domain answer: $(pct "$L" "$C"); lookups / /rdap/help: $(pct "$L" "$H")"
echo "registryd CPU a request, canned / lookup: $(pct "$(cpu "$DIR/canned")" "$(cpu "$DIR/lookups")")" \
    "(the rate ratio on a machine with nothing else to do)"
