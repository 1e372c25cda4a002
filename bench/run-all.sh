#!/bin/sh
# The whole EPP benchmark of DESIGN §10 and issue 18 in one run, printed as
# one Markdown table (bench/run_all_table.py) beside the machine's limits
# measured in the same run (docs/performance.md):
#
#   - the null EPP server (bench/nullepp: TLS and framing, a canned answer):
#     domain:check with 1 and MANY sessions; the disk's fdatasync rate
#   - registryd on SQLite and on PostgreSQL 15 (Debian's, a throw-away
#     server of tests/pg-server.sh, fsync on; `regctl init` on its URL),
#     each with BASE domains loaded by benchload (domain_create, as EPP
#     would): domain:check and domain:info with 1 and MANY sessions,
#     domain:check and domain:info at half of the MANY-session peak
#     (regbench --rate), domain:create with 1 and MANY sessions
#   - the scale step: the same registry filled up to SCALE domains, a fresh
#     registryd; domain:check and domain:info with 1 session (p99 against
#     BASE), then BIG sessions logged in at once doing domain:check, and
#     registryd's peak RSS (VmHWM) after it
#
#   sh bench/run-all.sh [--quick] [BUILD_DIR] [SCALE]
#
# SCALE defaults to 100,000 (1000000 for the figure of §10). Settings from
# the environment: SECS (seconds a run, default 5), BACKENDS ("sqlite
# pgsql"), BASE (10000), MANY (100), BIG (1000), and PG_URL: a running
# PostgreSQL server's base URL (postgresql://user@host:port) to use
# instead of a server of the run's own (the system test's, without fsync:
# its figures are not the benchmark's). --quick is the system test's tiny
# run: 1-second runs, BASE 100, SCALE 300, MANY 10, BIG 20.
# regbench's JSON of every run stays in OUT (default: a scratch directory
# removed at the end). Run it under the build lock; it holds the two cores.
set -eu
QUICK=
if [ "${1:-}" = --quick ]; then QUICK=1; shift; fi
here=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-build}" && pwd)
if [ -n "$QUICK" ]; then
    SECS=${SECS:-1} BASE=${BASE:-100} MANY=${MANY:-10} BIG=${BIG:-20} SCALE=${2:-300}
else
    SECS=${SECS:-5} BASE=${BASE:-10000} MANY=${MANY:-100} BIG=${BIG:-1000} SCALE=${2:-100000}
fi
BACKENDS=${BACKENDS:-sqlite pgsql}
if [ "$SCALE" -le "$BASE" ]; then echo "run-all.sh: SCALE must exceed BASE ($BASE)" >&2; exit 2; fi
DIR=$(mktemp -d /tmp/runall.XXXXXX)
OUT=${OUT:-$DIR/results}
mkdir -p "$OUT"
# shellcheck source=bench/daemon.sh
. "$here/bench/daemon.sh"
cleanup() {
    daemon_stop_all
    sh "$here/tests/pg-server.sh" stop "$DIR/pg" >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT
# every session is a descriptor on both sides (dash and bash have -n)
# shellcheck disable=SC3045
ulimit -n 8192 2>/dev/null || true

CLID=BENCH PW=bench-Pass1
T0=$(date +%s)
say() { echo "run-all: [$(($(date +%s) - T0)) s] $*" >&2; }

# bench NAME PORT REGBENCH-ARGS...: one regbench run, its JSON in
# $OUT/NAME.json (a run with connection errors still leaves its figures)
bench() {
    name=$1 port=$2
    shift 2
    "$B/regbench" --port "$port" --clid "$CLID" --pw "$PW" --json "$@" \
        > "$OUT/$name.json" 2> "$OUT/$name.err" || true
    if [ ! -s "$OUT/$name.json" ]; then
        say "$name: regbench printed nothing: $(tail -n 3 "$OUT/$name.err")"
        exit 1
    fi
    say "$name: $(cat "$OUT/$name.json")"
}

# rate_of NAME: its commands a second, a whole number
rate_of() { sed -n 's/.*"per_second":\([0-9]*\).*/\1/p' "$OUT/$1.json"; }

# --- the machine's limits -----------------------------------------------
say "null server, fdatasync"
nullepp_start
bench null.check1 "$NPORT" --sessions 1 --duration "$SECS" --mix check
bench null.checkN "$NPORT" --sessions "$MANY" --duration "$SECS" --mix check
daemon_stop_all
"$B/fsyncrate" --dir "$DIR" --seconds "$SECS" > "$OUT/fsync.txt"
say "$(cat "$OUT/fsync.txt")"

# --- registryd on each backend --------------------------------------------
# config BACKEND URL: the daemon's configuration, every limit that would
# refuse the benchmark's own sessions out of the way
config() {
    mkdir -p "$DIR/$1"
    epp_bench_config "$DIR/$1/registryd.conf" "$2" "$BIG"
    cat >> "$DIR/$1/registryd.conf" <<EOF
[http]
listen = 127.0.0.1:0
[whois]
listen = 127.0.0.1:0
EOF
}

backend() { # backend NAME URL
    be=$1
    say "$be: init, $BASE domains"
    config "$be" "$2"
    conf=$DIR/$be/registryd.conf
    epp_bench_fill "$conf" "$BASE" "$OUT/$be.load-base.txt"
    REGISTRANT=$(sed -n 's/^registrant //p' "$OUT/$be.load-base.txt")
    say "$be: $(tail -n 1 "$OUT/$be.load-base.txt")"
    NAMES="--names load%d.dk --range $BASE"

    daemon_start "$conf" epp # sets PORT
    # shellcheck disable=SC2086,SC2153
    {
        bench "$be.check1" "$PORT" --sessions 1 --duration "$SECS" --mix check
        bench "$be.checkN" "$PORT" --sessions "$MANY" --duration "$SECS" --mix check
        bench "$be.info1" "$PORT" --sessions 1 --duration "$SECS" --mix info $NAMES
        bench "$be.infoN" "$PORT" --sessions "$MANY" --duration "$SECS" --mix info $NAMES
        bench "$be.check-half" "$PORT" --sessions "$MANY" --duration "$SECS" --mix check \
            --rate $(($(rate_of "$be.checkN") / 2 + 1))
        bench "$be.info-half" "$PORT" --sessions "$MANY" --duration "$SECS" --mix info $NAMES \
            --rate $(($(rate_of "$be.infoN") / 2 + 1))
        bench "$be.create1" "$PORT" --sessions 1 --duration "$SECS" --mix create \
            --registrant "$REGISTRANT"
        bench "$be.createN" "$PORT" --sessions "$MANY" --duration "$SECS" --mix create \
            --registrant "$REGISTRANT"
    }
    daemon_stop_all

    say "$be: up to $SCALE domains"
    "$B/benchload" --config "$conf" --registrar "$CLID" --first $((BASE + 1)) \
        --domains $((SCALE - BASE)) --registrant "$REGISTRANT" > "$OUT/$be.load-scale.txt"
    say "$be: $(tail -n 1 "$OUT/$be.load-scale.txt")"
    daemon_start "$conf" epp
    DPID=${PIDS##* }
    bench "$be.scale.check1" "$PORT" --sessions 1 --duration "$SECS" --mix check
    bench "$be.scale.info1" "$PORT" --sessions 1 --duration "$SECS" --mix info \
        --names 'load%d.dk' --range "$SCALE"
    bench "$be.scale.big" "$PORT" --sessions "$BIG" --duration "$SECS" --mix check
    sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$DPID/status" > "$OUT/$be.rss-kib"
    daemon_stop_all
}

for be in $BACKENDS; do
    case $be in
    sqlite) backend sqlite "sqlite:$DIR/sqlite/registry.db" ;;
    pgsql)
        if [ -n "${PG_URL:-}" ]; then
            url=$PG_URL
        else
            sh "$here/tests/pg-server.sh" start "$DIR/pg" > /dev/null
            url=$(cat "$DIR/pg/url")
        fi
        PGDB=runall_$$
        psql -X -q -v ON_ERROR_STOP=1 -d "$url/postgres" -c "CREATE DATABASE $PGDB"
        backend pgsql "$url/$PGDB"
        if [ -n "${PG_URL:-}" ]; then
            psql -X -q -d "$url/postgres" -c "DROP DATABASE $PGDB" || true
        else
            sh "$here/tests/pg-server.sh" stop "$DIR/pg" > /dev/null
        fi
        ;;
    *) echo "run-all.sh: unknown backend $be (sqlite, pgsql)" >&2; exit 2 ;;
    esac
done

python3 "$here/bench/run_all_table.py" --dir "$OUT" --backends "$BACKENDS" --base "$BASE" \
    --scale "$SCALE" --many "$MANY" --big "$BIG" --secs "$SECS"
