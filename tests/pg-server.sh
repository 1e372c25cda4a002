#!/bin/sh
# Starts or stops a throw-away PostgreSQL server for the tests.
#   pg-server.sh start DIR [REGCTL]
#                            initdb into DIR/data, listen on 127.0.0.1:<free port>,
#                            write the base URL to DIR/url; with REGCTL also
#                            the database registry_template, migrated by
#                            `REGCTL db migrate`, that tests wanting a migrated
#                            database copy (CREATE DATABASE ... TEMPLATE: about
#                            0.3 s less than migrating each one)
#   pg-server.sh stop DIR
# PG_FSYNC=off (as the suite's pg.start sets it) runs the server without
# fsync: nothing crashes that shared server, so what it has committed stays
# until it stops, and several hundred databases' commits stop waiting on the
# disk. A server of a test's own keeps fsync on.
# and, for tests of a database that goes away (test_pg_failover.py), on a
# server of their own:
#   pg-server.sh restart DIR pg_ctl restart -m fast
#   pg-server.sh halt DIR    pg_ctl stop -m fast, keeping the data
#   pg-server.sh resume DIR  start it again on the same port
# initdb refuses to run as root, so as root the server runs as the
# `postgres` system user that Debian's package creates. Its data directory
# lives under /tmp (recorded in DIR/datadir): the build tree may sit where
# that user cannot enter.
set -eu
cmd=$1
dir=$2
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bin/initdb" ] || { echo "pg-server.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
    [ -f "$dir/datadir" ] || return 0
    data=$(cat "$dir/datadir")
    if [ -f "$data/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$data/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -f "$dir/datadir"
    # the suite leaves some hundred databases (gigabytes): they are removed
    # in the background instead of holding up whatever runs next
    mv "$data" "$data.gone" 2>/dev/null || return 0
    setsid rm -rf "$data.gone" </dev/null >/dev/null 2>&1 &
}

# pg_ctl start|restart (with any further pg_ctl options) as start chose
launch() {
    data=$(cat "$dir/datadir")
    as_owner "$bin/pg_ctl" -D "$data/data" -l "$data/server.log" -w -t 60 \
        -o "$(cat "$dir/options")" "$@" >/dev/null \
        || { cat "$data/server.log" >&2; exit 1; }
}

case $cmd in
start)
    stop
    rm -rf "$dir"
    mkdir -p "$dir"
    data=$(mktemp -d /tmp/registryd-pg.XXXXXX)
    echo "$data" >"$dir/datadir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$data"; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$data/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$data/initdb.log" 2>&1 \
        || { cat "$data/initdb.log" >&2; exit 1; }
    echo "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-on} -c max_connections=300" >"$dir/options"
    launch start
    url=postgresql://postgres@127.0.0.1:$port
    if [ -n "${3:-}" ]; then
        "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d "$url/postgres" -c "CREATE DATABASE registry_template"
        printf '[database]\nurl = %s/registry_template\n' "$url" >"$dir/template.conf"
        "$3" --config "$dir/template.conf" db migrate
        # no connections: CREATE DATABASE ... TEMPLATE needs it idle
        "$bin/psql" -X -q -v ON_ERROR_STOP=1 -d "$url/postgres" \
            -c "ALTER DATABASE registry_template WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
    fi
    echo "$url" >"$dir/url"
    chmod a+r "$dir/url"
    echo "PostgreSQL on 127.0.0.1:$port"
    ;;
restart)
    launch restart -m fast
    echo "PostgreSQL restarted"
    ;;
resume)
    launch start
    echo "PostgreSQL resumed"
    ;;
halt)
    data=$(cat "$dir/datadir")
    as_owner "$bin/pg_ctl" -D "$data/data" -m fast -w stop >/dev/null
    echo "PostgreSQL halted"
    ;;
stop)
    stop
    echo "PostgreSQL stopped"
    ;;
*)
    echo "usage: pg-server.sh start|stop|restart|halt|resume DIR" >&2
    exit 2
    ;;
esac
