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
