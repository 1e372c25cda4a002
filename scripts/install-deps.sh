#!/bin/sh
# Installs the Debian 12 packages registryd builds and tests with
# (the list is scripts/debian-packages). Uses sudo when not root.
set -eu
here=$(dirname "$0")
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2046
$SUDO apt-get install -y -qq --no-install-recommends $(grep -v '^#' "$here/debian-packages") >/dev/null
echo "dependencies installed"
