#!/usr/bin/env python3
"""Checks that no string literal in src/ names a rule id such as "R7",
"(R19)" or "R22:". Messages are for their reader (a registrar, an
operator); rule ids belong in comments and test names. Reads every .c and .h
under src/, drops comments, joins adjacent literals ("... (R14, " "R16)" is
one text) and prints one line per literal with a rule id
("src/x/y.c:12: "...(R19)""). Exits 1 when there is any.

A rule id is R and one or two digits as a word of its own: not in "XR7",
"R7x" or "R123", and never in an identifier or a comment. A registrant
invoice number (REGISTRANT_INVOICE_PREFIX "R" and a number, "R7") is data
that looks the same: write an example of it from the macro
("like " REGISTRANT_INVOICE_PREFIX "7"), so the example follows the prefix
and is not a literal with a rule id; numbers printed through a format
("%s%lld") are not in any literal either.
usage: messages.py SOURCE_DIR"""
import os
import re
import sys

RULE_ID = re.compile(r'(?<!\w)R[0-9]{1,2}(?!\w)')
ESCAPE = re.compile(r'\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)', re.DOTALL)

# Paths that may still have literals with rule ids. Empty: the check covers
# all of src/. A listed path that no longer needs its line fails the check,
# so the list only shrinks.
ALLOWED = []

TOKEN = re.compile(r'''
    (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>(?:u8|[uUL])?"(?:\\.|\\\n|[^"\\\n])*")
  | (?P<char>(?:u8|[uUL])?'(?:\\.|[^'\\\n])*')
  | (?P<newline>\n)
  | (?P<space>[ \t\r\f\v]+|\\\n)
  | (?P<hash>\#)
  | (?P<other>\w+|.)
''', re.VERBOSE | re.DOTALL)


def literals(text):
    """Yields (line, text) for each string literal of a C file, adjacent
    literals joined. A preprocessor line ends at its newline, so a literal
    closing a #define is not joined to one on the next line."""
    line, start, parts = 1, 0, []
    directive, line_start = False, True
    for m in TOKEN.finditer(text):
        kind, tok = m.lastgroup, m.group()
        if kind == "string":
            if not parts:
                start = line
            parts.append(tok[tok.index('"') + 1:-1])
        elif kind in ("comment", "space"):
            pass
        elif kind == "newline" and not directive:
            pass
        else:
            if parts:
                yield start, "".join(parts)
                parts = []
            if kind == "newline":
                directive = False
            elif kind == "hash" and line_start:
                directive = True
        line += tok.count("\n")
        if kind == "newline":
            line_start = True
        elif kind not in ("comment", "space"):
            line_start = False
    if parts:
        yield start, "".join(parts)


def main():
    root = sys.argv[1]
    found, stale, used = [], [], set()
    for dirpath, dirs, files in os.walk(os.path.join(root, "src")):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            for line, lit in literals(text):
                # an escape ("\\n", "\\x52") is not part of a word
                if RULE_ID.search(ESCAPE.sub(" ", lit)):
                    if rel in ALLOWED:
                        used.add(rel)
                    else:
                        found.append('%s:%d: "%s"' % (rel, line, lit))
    for rel in ALLOWED:
        if rel not in used:
            stale.append("cmake/messages.py: ALLOWED has %s, which no longer needs it: "
                         "remove it" % rel)
    for line in found + stale:
        print(line)
    if found:
        print("%d literal(s) with rule ids: messages speak to their reader; "
              "rule ids belong in comments" % len(found))
    return 1 if found or stale else 0


if __name__ == "__main__":
    sys.exit(main())
