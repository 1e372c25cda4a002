#!/bin/sh
# The README's first command: install dependencies, build, initialise ./var
# (SQLite), create the demo registrar and run registryd in the foreground.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "built build/registryd, build/regctl"
./build/regctl init --demo
exec ./build/registryd
