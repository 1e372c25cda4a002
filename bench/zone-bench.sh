#!/bin/sh
# Zone file benchmark (issue 14; docs/performance.md): zonebench on both
# backends, DOMAINS domains (default 1,000,000), the export RUNS times
# (default 2) on each after one fill: SQLite in a scratch directory, then
# PostgreSQL on a throw-away server of tests/pg-server.sh.
#
#   sh bench/zone-bench.sh [BUILD_DIR] [DOMAINS] [RUNS] [BACKENDS]
#
# BACKENDS: "sqlite pgsql" (default), or one of them alone.
#
# Prints zonebench's lines; the scratch directory and the server go at the
# end.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-build}" && pwd)
N=${2:-1000000}
RUNS=${3:-2}
BACKENDS=${4:-sqlite pgsql}
DIR=$(mktemp -d /tmp/zonebench.XXXXXX)
cleanup() {
    sh "$here/tests/pg-server.sh" stop "$DIR/pg" >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

bench() { # bench NAME URL
    echo "== $1"
    "$B/zonebench" --domains "$N" --url "$2" --out "$DIR/$1.zone"
    i=1
    while [ "$i" -lt "$RUNS" ]; do
        "$B/zonebench" --domains "$N" --url "$2" --out "$DIR/$1.zone" --keep | grep -v '^fill'
        i=$((i + 1))
    done
}

case " $BACKENDS " in *" sqlite "*) bench sqlite "sqlite:$DIR/zone.db" ;; esac
case " $BACKENDS " in *" pgsql "*)
    sh "$here/tests/pg-server.sh" start "$DIR/pg" >/dev/null
    bench pgsql "$(cat "$DIR/pg/url")/postgres"
    ;;
esac
