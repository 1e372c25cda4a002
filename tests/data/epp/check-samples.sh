#!/usr/bin/env bash
# Checks the EPP schemas and the sample documents with xmllint (libxml2-utils):
#   1. every schema/*.xsd compiles on its own, without warnings (the *-long-ids.xsd
#      only with the skipped-import warnings its design implies);
#   2. every tests/data/epp/valid/*.xml validates against schema/all.xsd (the
#      official IETF schemas), or, if it is listed in LONG_ID_SAMPLES, against
#      schema/all-long-ids.xsd only (REGISTRAR:ID contact ids over 16 characters);
#   3. every tests/data/epp/invalid/*.xml starts with a one-line <!-- ... -->
#      comment saying why, is well-formed, and fails schema validation with
#      either schema set.
# Nothing is fetched from the network (--nonet).  Exits non-zero on any mismatch.
#
# usage: check-samples.sh [-v] [SCHEMA_DIR [SAMPLES_DIR]]
#   -v           print xmllint's messages for every file
#   SCHEMA_DIR   default: ../../../schema relative to this script
#   SAMPLES_DIR  default: the directory of this script
# env: XMLLINT   xmllint binary (default: xmllint)

set -u

verbose=0
if [ "${1:-}" = "-v" ]; then verbose=1; shift; fi

here=$(cd "$(dirname "$0")" && pwd)
schema_dir=${1:-$here/../../../schema}
samples_dir=${2:-$here}
xmllint=${XMLLINT:-xmllint}

if ! command -v "$xmllint" >/dev/null 2>&1; then
    echo "check-samples: $xmllint not found (install libxml2-utils)" >&2
    exit 2
fi
if [ ! -f "$schema_dir/all.xsd" ]; then
    echo "check-samples: $schema_dir/all.xsd not found" >&2
    exit 2
fi

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '<x/>\n' > "$tmp/dummy.xml"

# valid samples with a contact id of more than 16 characters ([contact]
# id_prefix = registrar, the default)
LONG_ID_SAMPLES="account-update-replace-a1.xml"

ok()   { passed=$((passed + 1)); [ $verbose = 1 ] && echo "ok   $1"; return 0; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; [ -s "$tmp/err" ] && sed 's/^/     /' "$tmp/err" | head -5; return 0; }

# 1. Each schema compiles.  A compiled schema makes xmllint reject the dummy
#    document with exit code 3 (validation error); 5 means the schema itself
#    failed to compile.  Any parser warning (e.g. a skipped import) also counts.
for xsd in "$schema_dir"/*.xsd; do
    name=schema/$(basename "$xsd")
    "$xmllint" --noout --nonet --schema "$xsd" "$tmp/dummy.xml" >/dev/null 2>"$tmp/all-err"
    rc=$?
    grep -v -e 'dummy.xml' "$tmp/all-err" > "$tmp/err"
    case "$xsd" in
        *-long-ids.xsd) grep -v -e "Skipping import of schema located at" "$tmp/err" \
                               > "$tmp/err2"; mv "$tmp/err2" "$tmp/err" ;;
    esac
    if [ $rc -ne 3 ]; then
        fail "$name" "does not compile (xmllint exit $rc)"
    elif [ -s "$tmp/err" ]; then
        fail "$name" "compiles with warnings"
    else
        ok "$name"
    fi
done

# 2. Valid samples validate.
nvalid=0
for xml in "$samples_dir"/valid/*.xml; do
    [ -e "$xml" ] || continue
    nvalid=$((nvalid + 1))
    name=valid/$(basename "$xml")
    set=all.xsd
    case " $LONG_ID_SAMPLES " in *" $(basename "$xml") "*) set=all-long-ids.xsd ;; esac
    "$xmllint" --noout --nonet --schema "$schema_dir/$set" "$xml" >/dev/null 2>"$tmp/err"
    rc=$?
    [ $verbose = 1 ] && sed 's/^/     /' "$tmp/err"
    if [ $rc -eq 0 ]; then ok "$name"; else fail "$name" "should validate against $set (xmllint exit $rc)"; fi
    if [ $set = all-long-ids.xsd ] &&
       "$xmllint" --noout --nonet --schema "$schema_dir/all.xsd" "$xml" >/dev/null 2>&1; then
        : > "$tmp/err"; fail "$name" "is listed in LONG_ID_SAMPLES but fits the official schemas"
    fi
done

# 3. Invalid samples: documented, well-formed, and rejected by the schema
#    (exit code 3; exit 1 would mean the sample is not even well-formed XML).
ninvalid=0
for xml in "$samples_dir"/invalid/*.xml; do
    [ -e "$xml" ] || continue
    ninvalid=$((ninvalid + 1))
    name=invalid/$(basename "$xml")
    : > "$tmp/err"
    first=$(head -n 1 "$xml")
    case "$first" in
        '<!--'*'-->') ;;
        *) fail "$name" "first line must be a one-line <!-- reason --> comment"; continue ;;
    esac
    "$xmllint" --noout --nonet --schema "$schema_dir/all.xsd" "$xml" >/dev/null 2>"$tmp/err"
    rc=$?
    "$xmllint" --noout --nonet --schema "$schema_dir/all-long-ids.xsd" "$xml" >/dev/null 2>/dev/null
    rc_long=$?
    [ $rc -eq 3 ] && [ $rc_long -ne 3 ] && rc=$rc_long
    if [ $verbose = 1 ]; then echo "     $first"; sed 's/^/     /' "$tmp/err"; fi
    case $rc in
        3) ok "$name" ;;
        0) : > "$tmp/err"; fail "$name" "should NOT validate: $first" ;;
        *) fail "$name" "not a schema rejection (xmllint exit $rc; broken sample?)" ;;
    esac
done

if [ $nvalid -eq 0 ] || [ $ninvalid -eq 0 ]; then
    echo "check-samples: no samples found under $samples_dir/valid or $samples_dir/invalid" >&2
    failed=$((failed + 1))
fi

echo "schemas: $(ls "$schema_dir"/*.xsd | wc -l), valid samples: $nvalid, invalid samples: $ninvalid"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
