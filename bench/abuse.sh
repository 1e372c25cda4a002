#!/bin/sh
# usage: bench/abuse.sh BUILD_DIR PORT [ABUSE_ARGS]...  — one registryd with
# the front doors' defaults but [epp] max_connections = 10000 and no exempt
# sources, then bench/abuse.py once per ABUSE_ARGS (e.g. "--idle 1000
# --flooders 4"); figures in docs/performance.md. Run it under the build lock.
# LIMITS= (empty) leaves those two settings out, for a registryd without them.
set -e
B=$(cd "$1" && pwd); P=$2; shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
D=/tmp/abuse-$P
rm -rf "$D"; mkdir -p "$D"; cd "$D"
LIMITS=${LIMITS-'max_connections = 10000\nexempt =\n'}
printf "[epp]\nlisten = 127.0.0.1:%s\nmax_sessions = 200\n$LIMITS[http]\nlisten = 127.0.0.1:0\n[log]\nlevel = warn\n[idcheck]\nenabled = false\n" "$P" > c.ini
PW=$("$B/regctl" --config c.ini init --demo 2>&1 | sed -n 's/.*password \([^ ]*\).*/\1/p')
"$B/registryd" --config c.ini > d.out 2> d.log &
DPID=$!
trap 'kill $DPID 2>/dev/null; wait $DPID 2>/dev/null' EXIT
while ! grep -q '^ready$' d.out; do sleep 0.1; done
for args in "$@"; do
    # shellcheck disable=SC2086
    python3 "$HERE/abuse.py" --regbench "$B/regbench" --port "$P" --clid DEMO --pw "$PW" \
        --pid $DPID $args
    sleep 3  # the last run's clients are gone with its process; the daemon notices
done
