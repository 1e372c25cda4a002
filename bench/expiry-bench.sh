#!/bin/sh
# The domain-expiry benchmark (issue 18; docs/performance.md): expirybench
# on both backends, DOMAINS domains (default 100,000) expiring on one day,
# loaded through domain_create and renewed by one run of the job; then
# the disk's fsync rate beside the figures. SQLite in a scratch directory,
# PostgreSQL on a throw-away server of tests/pg-server.sh (Debian's
# binaries, on a loopback port).
#
#   sh bench/expiry-bench.sh [BUILD_DIR] [DOMAINS] [BACKENDS] [BATCH]
#
# BACKENDS: "sqlite pgsql" (default), one of them alone, or pgsql-socket:
# PostgreSQL through its Unix socket instead of TCP on loopback (each
# statement is a round trip, and a socket's is shorter); BATCH: [jobs]
# batch (default 1000). The scratch directory and the server go at the end.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
B=$(cd "${1:-build}" && pwd)
N=${2:-100000}
BACKENDS=${3:-sqlite pgsql}
BATCH=${4:-1000}
DIR=$(mktemp -d /tmp/expirybench.XXXXXX)
cleanup() {
    sh "$here/tests/pg-server.sh" stop "$DIR/pg" >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

summary=""
bench() { # bench NAME URL
    echo "== $1"
    "$B/expirybench" --domains "$N" --url "$2" --batch "$BATCH" | tee "$DIR/$1.out"
    summary="$summary$(grep '^domain-expiry:' "$DIR/$1.out" | sed "s/^/$(printf '%-7s' "$1") /")
"
}

case " $BACKENDS " in *" sqlite "*) bench sqlite "sqlite:$DIR/expiry.db" ;; esac
case " $BACKENDS " in *" pgsql "*|*" pgsql-socket "*)
    sh "$here/tests/pg-server.sh" start "$DIR/pg" >/dev/null
    url=$(cat "$DIR/pg/url")
    case " $BACKENDS " in *" pgsql "*) bench pgsql "$url/postgres" ;; esac
    case " $BACKENDS " in *" pgsql-socket "*)
        psql -q "$url/postgres" -c "CREATE DATABASE socket"
        bench pgsql-socket "postgresql://postgres@/socket?host=$(cat "$DIR/pg/datadir")&port=${url##*:}"
        ;;
    esac
    ;;
esac
fsync=$("$B/fsyncrate" --dir "$DIR" --seconds 3)
echo "== side by side"
printf '%s' "$summary"
echo "fsync   $fsync"
