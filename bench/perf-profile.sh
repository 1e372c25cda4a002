#!/bin/sh
# Where registryd's CPU goes, per EPP command type (issue 18): registryd on
# SQLite with BASE domains loaded by benchload, driven by regbench with one
# command type at a time (MANY sessions), each run twice: once plain, for
# the rate and registryd's CPU time per command (from /proc), and once under
# `perf record --call-graph dwarf` on the registryd process alone. The null
# server's rate and CPU per command are measured in the same run, so the
# figures stand beside the machine's limit. bench/perf-buckets.py turns each
# profile into shares of registryd's CPU per bucket.
#
#   sh bench/perf-profile.sh [BUILD_DIR] [OUT_DIR]
#
# Settings from the environment: SECS (seconds a run, default 4), BASE
# (domains loaded, 10000), MANY (sessions, 100), MIXES ("check info create
# update"), FREQ (perf's sampling rate, 999). OUT_DIR (default
# perf-out) keeps each mix's perf.data, `perf script` text and table; the
# perf.data files are tens of MB: remove them when done. Run it under the
# build lock; it holds the two cores. Needs perf (Debian's linux-perf) and
# the right to profile (root, or kernel.perf_event_paranoid <= 1).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-build}" && pwd)
OUTD=${2:-perf-out}
mkdir -p "$OUTD"
OUTD=$(cd "$OUTD" && pwd)
SECS=${SECS:-4} BASE=${BASE:-10000} MANY=${MANY:-100} FREQ=${FREQ:-999}
MIXES=${MIXES:-check info create update}
DIR=$(mktemp -d /tmp/perfprof.XXXXXX)
# shellcheck source=bench/daemon.sh
. "$here/bench/daemon.sh"
# shellcheck disable=SC3045
ulimit -n 8192 2>/dev/null || true
CLID=BENCH PW=bench-Pass1
say() { echo "perf-profile: $*" >&2; }

# cpu_ticks PID: user + system clock ticks of the process so far
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

# measure NAME PORT PID REGBENCH-ARGS...: a plain run; its JSON, and the
# process's CPU in µs per answered command
measure() {
    name=$1 port=$2 pid=$3
    shift 3
    t0=$(cpu_ticks "$pid")
    "$B/regbench" --port "$port" --clid "$CLID" --pw "$PW" --json "$@" \
        > "$OUTD/$name.json" 2> "$OUTD/$name.err" || true
    t1=$(cpu_ticks "$pid")
    n=$(sed -n 's/.*"commands":\([0-9]*\).*/\1/p' "$OUTD/$name.json")
    [ -n "$n" ] || n=$(sed -n 's/.*"ok":\([0-9]*\).*/\1/p' "$OUTD/$name.json")
    echo "$name cpu_us_per_cmd $(awk -v t=$((t1 - t0)) -v hz="$HZ" -v n="${n:-0}" \
        'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "?" }')" \
        >> "$OUTD/cpu.txt"
    say "$name: $(cat "$OUTD/$name.json")"
}

: > "$OUTD/cpu.txt"
# --- the null server --------------------------------------------------------
nullepp_start
measure null.check "$NPORT" "$NPID" --sessions "$MANY" --duration "$SECS" --mix check
daemon_stop_all

# --- registryd on SQLite ------------------------------------------------------
conf=$DIR/registryd.conf
epp_bench_config "$conf" "sqlite:$DIR/registry.db" "$MANY"
epp_bench_fill "$conf" "$BASE" "$OUTD/load.txt"
REGISTRANT=$(sed -n 's/^registrant //p' "$OUTD/load.txt")
say "$(tail -n 1 "$OUTD/load.txt")"
daemon_start "$conf" epp
DPID=${PIDS##* }

for mix in $MIXES; do
    # shellcheck disable=SC2046,SC2153
    measure "registryd.$mix" "$PORT" "$DPID" --sessions "$MANY" --duration "$SECS" $(epp_bench_args "$mix")
    # the profile: perf attached to registryd for the length of one more run
    perf record -q -F "$FREQ" --call-graph dwarf,16384 -p "$DPID" -o "$OUTD/$mix.perf.data" \
        2> "$OUTD/$mix.perf.err" &
    PERF=$!
    sleep 0.5
    # shellcheck disable=SC2046
    "$B/regbench" --port "$PORT" --clid "$CLID" --pw "$PW" --json --sessions "$MANY" \
        --duration "$SECS" $(epp_bench_args "$mix") > "$OUTD/$mix.perfrun.json" 2>&1 || true
    kill -INT "$PERF"
    wait "$PERF" || true
    say "$mix under perf: $(cat "$OUTD/$mix.perfrun.json")"
done
daemon_stop_all
say "profiles in $OUTD; perf script and bench/perf-buckets.py next (outside the lock)"
