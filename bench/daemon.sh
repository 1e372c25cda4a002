# Sourced by the benchmark scripts: registryd daemons started in the
# background and every one of them killed when the script ends, however it
# ends. daemon_start sets variables of this shell, so call it directly,
# never inside $(…): a subshell's PID list is lost with it, and its
# daemons with them (they ran on, holding their ports and the build lock).
#
#   . bench/daemon.sh              (needs $B, the build directory, and
#                                   $DIR, a scratch directory: removed at the end)
#   daemon_config CONFIG           # a configuration on $DIR/registry.db; append
#                                  # the service's sections
#   daemon_start CONFIG SERVICE    # registryd --only SERVICE; its port in $PORT
#   nullepp_start                  # bench/nullepp (the null EPP server); its
#                                  # port in $NPORT, its PID in $NPID
#   epp_bench_config CONFIG URL SESSIONS
#                                  # registryd for regbench on database URL:
#                                  # EPP on a free port with room for SESSIONS,
#                                  # no identity checks, unpriced operations
#                                  # free; append the run's other sections
#   epp_bench_fill CONFIG DOMAINS REPORT
#                                  # regctl init, the registrar $CLID (password
#                                  # $PW), DOMAINS domains by benchload (its
#                                  # report in REPORT)
#   epp_bench_args MIX             # regbench's arguments for check, info,
#                                  # create or update over that registry
PIDS=""
daemon_stop_all() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    for p in $PIDS; do wait "$p" 2>/dev/null || true; done
    PIDS=""
}
trap 'daemon_stop_all; rm -rf "$DIR"' EXIT
trap 'exit 130' INT TERM

daemon_config() {
    cat > "$1" <<EOF
[database]
url = sqlite:$DIR/registry.db
[paths]
var = $DIR/var
[log]
level = warn
EOF
}

daemon_start() {
    # a daemon started before on the same configuration left its "ready"
    # and port in these files: read before this one's shell truncated
    # them, they sent the benchmark to the old, closed port
    rm -f "$1.out" "$1.err"
    "$B/registryd" --config "$1" --only "$2" > "$1.out" 2> "$1.err" &
    PIDS="$PIDS $!"
    i=0
    until grep -q '^ready$' "$1.out" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 300 ]; then echo "registryd did not start: $(cat "$1.err")" >&2; exit 1; fi
        sleep 0.1
    done
    PORT=$(sed -n "s/^$2: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p" "$1.out")
}

nullepp_start() {
    rm -f "$DIR/null.out" "$DIR/null.err" # as in daemon_start
    "$B/nullepp" --listen 127.0.0.1:0 --var "$DIR/nullvar" > "$DIR/null.out" 2> "$DIR/null.err" &
    NPID=$!
    PIDS="$PIDS $NPID"
    i=0
    until NPORT=$(sed -n 's/^nullepp: listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$DIR/null.out") \
            && [ -n "$NPORT" ]; do
        i=$((i + 1))
        if [ $i -gt 300 ]; then echo "nullepp did not start: $(cat "$DIR/null.err")" >&2; exit 1; fi
        sleep 0.1
    done
}

epp_bench_config() {
    cat > "$1" <<EOF
[database]
url = $2
[paths]
var = ${1%/*}/var
[epp]
listen = 127.0.0.1:0
max_sessions = $(($3 + 10))
max_connections = $(($3 + 100))
login_timeout = 600s
frame_timeout = 300s
${EPP_WORKERS:+workers = $EPP_WORKERS}
[log]
level = warn
[idcheck]
enabled = false
[billing]
allow_unpriced = true
EOF
}

# epp_bench_args MIX: regbench's arguments for one command type over the
# registry epp_bench_fill made (BASE domains; REGISTRANT, its holder)
epp_bench_args() {
    case $1 in
    check) echo "--mix check" ;;
    info) echo "--mix info --names load%d.dk --range $BASE" ;;
    create | update) echo "--mix $1 --registrant $REGISTRANT" ;;
    esac
}

epp_bench_fill() {
    "$B/regctl" --config "$1" init > "$1.init"
    "$B/regctl" --config "$1" registrar add "$CLID" --name "Bench Registrar" --password "$PW" \
        > /dev/null
    "$B/benchload" --config "$1" --registrar "$CLID" --domains "$2" > "$3"
}
