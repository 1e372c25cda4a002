#!/bin/sh
# Two registryd builds side by side on one SQLite registry, with the null
# server in the same run (issue 18, the session loop's system calls):
# domain:check and domain:info with 1 and MANY sessions, each build ROUNDS
# times in turn (A B A B …) so that drift in the machine's load falls on
# both; then the system calls per command of each build's event-loop
# thread (the main thread: EPP's loop) and of the null server, counted by
# strace over COUNT checks of one session.
#
#   sh bench/epp-loop-ab.sh BUILD_A BUILD_B
#
# Settings from the environment: SECS (seconds a run, default 5), BASE
# (domains loaded, 10000), MANY (100), ROUNDS (2; 0: system calls only),
# COUNT (2000), MIXES (the command types, "check info"; create and update
# too), BACKEND (sqlite, or pgsql), HALF (1: each type again with MANY sessions paced at half the rate
# just measured, for the latency at half of peak). nullepp,
# regbench, regctl and benchload come from BUILD_B. SCMIX (check) is the
# command type of the system-call count; SCALL=1 counts every thread's
# calls (the workers' database reads among them), not only the loop's. Run it under the build
# lock; it holds the two cores. Needs strace and the right to trace.
# THREADS=1 adds each run's CPU per command by kind of thread.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
A=$(cd "$1" && pwd)
B=$(cd "$2" && pwd)
SECS=${SECS:-5} BASE=${BASE:-10000} MANY=${MANY:-100} ROUNDS=${ROUNDS:-2} COUNT=${COUNT:-2000}
MIXES=${MIXES:-check info} HALF=${HALF:-0} SCMIX=${SCMIX:-check} SCALL=${SCALL:-0}
DIR=$(mktemp -d /tmp/eppab.XXXXXX)
# shellcheck source=bench/daemon.sh
. "$here/bench/daemon.sh"
# shellcheck disable=SC3045
ulimit -n 8192 2>/dev/null || true
CLID=BENCH PW=bench-Pass1
say() { echo "epp-loop-ab: $*" >&2; }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# ticks FILE: user + system clock ticks in a /proc stat file
ticks() { awk '{ print $14 + $15 }' "$1"; }
HZ=$(getconf CLK_TCK)

# threads PID: each thread's name (registryd names them: epp-worker-0,
# epp-log, ...; the main thread, the EPP listener, keeps the program's)
# and user + system ticks, one line each
threads() {
    for t in /proc/"$1"/task/*; do
        printf '%s %s\n' "$(cat "$t/comm" 2>/dev/null)" "$(ticks "$t/stat" 2>/dev/null)"
    done
}

# run LABEL PORT PID REGBENCH-ARGS...: one regbench run, one line of
# figures: the rate, p99, and CPU µs per command of the event-loop thread
# (the main thread: TLS, framing, the session loop) and of the whole
# process (its logins' argon2id included: 100 of them weigh); with
# THREADS=1 a second line: CPU µs per command by kind of thread (the
# names less their number), those that used any
run() {
    label=$1 port=$2 pid=$3
    shift 3
    threads "$pid" > "$DIR/t0"
    l0=$(ticks "/proc/$pid/task/$pid/stat") p0=$(ticks "/proc/$pid/stat")
    "$B/regbench" --port "$port" --clid "$CLID" --pw "$PW" --json "$@" > "$DIR/r.json" \
        2> "$DIR/r.err" || true
    l1=$(ticks "/proc/$pid/task/$pid/stat") p1=$(ticks "/proc/$pid/stat")
    rate=$(sed -n 's/.*"per_second":\([0-9]*\).*/\1/p' "$DIR/r.json")
    p99=$(sed -n 's/.*"p99_ms":\([0-9.]*\).*/\1/p' "$DIR/r.json")
    n=$(sed -n 's/.*"commands":\([0-9]*\).*/\1/p' "$DIR/r.json")
    cpu=$(awk -v l=$((l1 - l0)) -v p=$((p1 - p0)) -v hz="$HZ" -v n="${n:-0}" 'BEGIN {
        if (n > 0) printf "loop %5.1f µs/cmd  process %5.1f µs/cmd", l * 1e6 / hz / n, p * 1e6 / hz / n }')
    printf '%-20s %8s/s  p99 %7s ms  %s\n' "$label" "${rate:-?}" "${p99:-?}" "$cpu"
    if [ "${THREADS:-0}" = 1 ] && [ "${n:-0}" -gt 0 ]; then
        threads "$pid" > "$DIR/t1"
        awk -v hz="$HZ" -v n="$n" 'NR == FNR { sub(/-[0-9]+$/, "", $1); before[$1] += $2; next }
            { sub(/-[0-9]+$/, "", $1); after[$1] += $2 }
            END { line = ""; for (k in after) { d = after[k] - before[k]
                      if (d > 0) line = line sprintf("  %s %.1f", k, d * 1e6 / hz / n) }
                  print "                     threads, µs/cmd:" line }' "$DIR/t0" "$DIR/t1"
    fi
    [ -n "$rate" ] || say "$label: $(cat "$DIR/r.json" "$DIR/r.err" | tail -n 3)"
}

# syscalls LABEL PORT PID: system calls of thread PID (SCALL=1: of all its
# threads) over COUNT commands of type SCMIX of one session (its login and
# greeting included), by name, per command
syscalls() {
    label=$1 port=$2 pid=$3
    strace -f -qq -p "$pid" -o "$DIR/st" &
    ST=$!
    sleep 1
    # shellcheck disable=SC2046
    "$B/regbench" --port "$port" --clid "$CLID" --pw "$PW" --json --sessions 1 \
        --count "$COUNT" $(epp_bench_args "$SCMIX") > /dev/null 2>&1 || true
    kill -INT "$ST"
    wait "$ST" || true
    # a call strace split in two ("<unfinished ...>", "<... resumed>") is
    # counted once, at its start
    awk -v tid="$pid" -v all="$SCALL" -v n="$COUNT" -v label="$label" '
        (all == 1 || $1 == tid) && match($2, /^[a-z_0-9]+\(/) {
            k = substr($2, 1, RLENGTH - 1); c[k]++; t++
            if (all == 1) { th[$1]++; tc[$1 " " k]++ } }
        END { line = sprintf("%-20s %5.2f syscalls/command:", label, t / n)
              for (k in c) if (c[k] / n >= 0.05) line = line sprintf(" %s %.2f", k, c[k] / n)
              print line
              # SCALL=1: each thread with 0.05 calls a command or more
              for (id in th) if (th[id] / n >= 0.05) {
                  line = sprintf("  thread %s%s %5.2f:", id, id == tid ? " (loop)" : "", th[id] / n)
                  for (x in tc) { split(x, f, " ")
                      if (f[1] == id && tc[x] / n >= 0.05) line = line sprintf(" %s %.2f", f[2], tc[x] / n) }
                  print line } }' "$DIR/st"
    rm -f "$DIR/st"
}

# --- the null server ----------------------------------------------------------
nullepp_start

# --- one registry: SQLite, or PostgreSQL (BACKEND=pgsql: a throw-away
# server of tests/pg-server.sh, fsync on, as bench/run-all.sh starts it) ----
conf=$DIR/registryd.conf
if [ "${BACKEND:-sqlite}" = pgsql ]; then
    sh "$here/tests/pg-server.sh" start "$DIR/pg" > /dev/null
    trap 'daemon_stop_all; sh "$here/tests/pg-server.sh" stop "$DIR/pg" > /dev/null 2>&1; rm -rf "$DIR"' EXIT
    psql -X -q -v ON_ERROR_STOP=1 -d "$(cat "$DIR/pg/url")/postgres" -c "CREATE DATABASE eppab"
    epp_bench_config "$conf" "$(cat "$DIR/pg/url")/eppab" "$MANY"
else
    epp_bench_config "$conf" "sqlite:$DIR/registry.db" "$MANY"
fi
epp_bench_fill "$conf" "$BASE" "$DIR/load.txt"
say "$(tail -n 1 "$DIR/load.txt")"
REGISTRANT=$(sed -n 's/^registrant //p' "$DIR/load.txt")

# nullepp stays up the whole run; registryd A and B take turns
start() { # start BUILD: registryd of BUILD on the registry; PORT and DPID
    Bsave=$B
    B=$1
    daemon_start "$conf" epp
    B=$Bsave
    DPID=${PIDS##* }
}
stop() {
    kill "$DPID"
    wait "$DPID" || true
    PIDS=${PIDS% *}
}

r=1
while [ "$r" -le "$ROUNDS" ]; do
    echo "--- round $r (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    run "null check 1" "$NPORT" "$NPID" --sessions 1 --duration "$SECS" --mix check
    run "null check $MANY" "$NPORT" "$NPID" --sessions "$MANY" --duration "$SECS" --mix check
    for build in A B; do
        if [ $build = A ]; then start "$A"; else start "$B"; fi
        for mix in $MIXES; do
            # shellcheck disable=SC2046
            run "$build $mix 1" "$PORT" "$DPID" --sessions 1 --duration "$SECS" $(epp_bench_args "$mix")
            # shellcheck disable=SC2046
            run "$build $mix $MANY" "$PORT" "$DPID" --sessions "$MANY" --duration "$SECS" \
                $(epp_bench_args "$mix")
            [ "$HALF" = 1 ] || continue
            # shellcheck disable=SC2046
            run "$build $mix half" "$PORT" "$DPID" --sessions "$MANY" --duration "$SECS" \
                --rate $((${rate:-2} / 2 + 1)) $(epp_bench_args "$mix")
        done
        stop
    done
    r=$((r + 1))
done

echo "--- system calls of the $([ "$SCALL" = 1 ] && echo "whole process" || echo "event-loop thread"), $COUNT commands ($SCMIX) of one session"
syscalls "null" "$NPORT" "$NPID"
for build in A B; do
    if [ $build = A ]; then start "$A"; else start "$B"; fi
    syscalls "$build" "$PORT" "$DPID"
    stop
done
daemon_stop_all
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
