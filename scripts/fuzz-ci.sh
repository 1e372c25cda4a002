#!/bin/sh
# Fuzzing for CI (tests/fuzz; docs/operations.md "Tests"): configures
# build-fuzz/ with clang and -DREG_FUZZ=ON (libFuzzer, ASan, UBSan), builds
# every target listed in tests/fuzz/CMakeLists.txt and runs each for
# SECONDS (default 60, or $FUZZ_SECONDS) over a copy of its corpus with its
# dictionary, as many at once as there are cores.
#   scripts/fuzz-ci.sh [SECONDS]
# A crash, a sanitizer report, a leak, an input taking over 30 s or more
# than 2 GB fails the run (exit 1): the input is kept as
# build-fuzz/fuzz-findings/TARGET/crash-SHA1 (leak-, timeout-, oom-) and
# named below with the command that replays it. Once fixed, add it to
# tests/fuzz/corpus/TARGET/ so fuzz.replay.TARGET keeps checking it.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-60}}
case $seconds in '' | *[!0-9]* | 0) echo "usage: $0 [SECONDS > 0]" >&2; exit 2 ;; esac
dir=build-fuzz
list=$dir/tests/fuzz/fuzz-targets.txt
jobs=$(nproc)
started=$(date +%s)

cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DREG_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2046
cmake --build "$dir" -j"$jobs" --target $(cut -d' ' -f1 "$list")

findings=$dir/fuzz-findings
rm -rf "$findings" "$dir/fuzz-corpus"
mkdir -p "$findings"

# One target: its log in $findings/TARGET.log; non-zero when it failed.
run() { # target dictionary corpus
    work=$dir/fuzz-corpus/$1
    dict=
    [ "$2" = - ] || dict=-dict=$2
    # shellcheck disable=SC2086
    mkdir -p "$work" "$findings/$1" && cp -R "$3/." "$work/" &&
        "$dir/tests/fuzz/$1" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$findings/$1/" $dict "$work" \
            </dev/null >"$findings/$1.log" 2>&1
}

echo "fuzz: built in $(($(date +%s) - started)) s; $(wc -l <"$list") targets, ${seconds} s each," \
    "$jobs at a time"
n=0
while read -r target dict corpus; do
    { run "$target" "$dict" "$corpus" || : >"$findings/$target.failed"; } &
    n=$((n + 1))
    if [ "$n" -ge "$jobs" ]; then
        wait
        n=0
    fi
done <"$list"
wait

passed=0
failed=0
while read -r target dict corpus; do
    log=$findings/$target.log
    # a target that never started has no log: it is reported, not fatal here
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" 2>/dev/null || :)
    if [ ! -e "$findings/$target.failed" ]; then
        passed=$((passed + 1))
        echo "fuzz: $target ok, ${runs:-?} runs, $(find "$dir/fuzz-corpus/$target" -type f | wc -l) inputs"
        continue
    fi
    failed=$((failed + 1))
    echo "fuzz: $target FAILED; the end of its log ($log):"
    { tail -n 60 "$log" 2>/dev/null || echo "(no log: the target did not start)"; } | sed 's/^/    /'
    for input in "$findings/$target"/*; do
        [ -e "$input" ] || continue
        echo "fuzz: $target: input kept as $input; replay: $dir/tests/fuzz/$target $input"
    done
done <"$list"
echo "fuzz: ran in $(($(date +%s) - started)) s"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
