#!/bin/sh
# The README's test command: build and run the whole suite through CTest.
#   scripts/test.sh              plain build in build/
#   scripts/test.sh --sanitize   ASan + UBSan build in build-asan/
set -eu
cd "$(dirname "$0")/.."
dir=build
flags="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
if [ "${1:-}" = "--sanitize" ]; then
    dir=build-asan
    flags="-DCMAKE_BUILD_TYPE=Debug -DREG_SANITIZE=ON"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
# shellcheck disable=SC2086
cmake -S . -B "$dir" $flags >/dev/null
cmake --build "$dir" -j"$(nproc)"
# Twice as many tests as cores: most of their time is spent waiting (on
# PostgreSQL's commits, on the daemons they drive), not computing.
ctest --test-dir "$dir" --output-on-failure -j"$(($(nproc) * 2))"
