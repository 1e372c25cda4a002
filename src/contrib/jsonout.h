/* A jansson tree as compact JSON (RFC 8259), the bytes json_dumpb(j, buf,
 * size, JSON_COMPACT) writes, without its cost per object and array
 * (RDAP's answers, the history's snapshots): jansson guards against a
 * value that contains itself by printing each container's address into a
 * hash table as it descends (a quarter of an RDAP answer's time,
 * docs/performance.md). Here a depth limit stands in for that guard.
 *
 * jsonout_compact writes members in the order jansson keeps them
 * (insertion order), jsonout_compact_sorted in key order; strings as
 * jansson escapes them: '"', '\\' and the control characters below U+0020
 * (\b \f \n \r \t, the others \u00XX), everything else as UTF-8; '/' is
 * not escaped. Reals as jansson's default (17 significant digits).
 * Checked byte for byte against json_dumpb by tests/unit/test_rdap.c and
 * tests/fuzz/fuzz_jsonout.c, in both orders. */
#ifndef REG_CONTRIB_JSONOUT_H
#define REG_CONTRIB_JSONOUT_H

#include <jansson.h>
#include <stddef.h>

/* Nesting past this fails the dump (a loop in the tree ends here too). */
#define JSONOUT_MAX_DEPTH 2048

/* Writes j into buf (not NUL-terminated) and returns its length in bytes;
 * when that is more than size, only the first size bytes were written and
 * the caller may try again with a buffer that large. 0 when j cannot be
 * written: NULL, a string that is not UTF-8, nesting past
 * JSONOUT_MAX_DEPTH (json_dumpb fails on the first two and on a loop,
 * but for an object key that is not UTF-8 it writes the key cut short and
 * goes on, a broken document: here that fails too). A
 * bare string, number, true, false or null is written too (as json_dumpb
 * with JSON_ENCODE_ANY). */
size_t jsonout_compact(const json_t *j, char *buf, size_t size);

/* The same with each object's members in the order of their keys, the
 * bytes of json_dumpb(j, buf, size, JSON_COMPACT | JSON_SORT_KEYS): keys
 * compared byte by byte, a key before the longer ones it begins. The
 * history's snapshots are written so (issue 18: json_dumps took 4 % of a
 * domain:create's time in SQLite's one writer's place, this half that).
 * Unlike json_dumps without JSON_ENCODE_ANY, a bare scalar is written
 * too; the other differences are jsonout_compact's. */
size_t jsonout_compact_sorted(const json_t *j, char *buf, size_t size);

#endif
