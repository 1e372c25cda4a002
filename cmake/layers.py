#!/usr/bin/env python3
"""Checks src/ against the layer rules in cmake/layers.txt: which folders a
file may include headers from, and where SQL may be run. Prints one line per
break ("src/x/y.c:12: includes registry/z.h: x may not use registry") and
exits 1 when there is any. usage: layers.py SOURCE_DIR"""
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SQL = re.compile(r'\bdb_(query|exec)\s*\(')


def load_rules(path):
    may, sql, allow, private = {}, set(), set(), set()
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, _, rest = line.partition(":")
        words = rest.split()
        if key == "sql":
            sql.update(words)
        elif key == "private":
            private.update(words)
        elif key == "allow":
            allow.add((words[0], words[1]))
        else:
            may[key] = set(words) | {key}
    return may, sql, allow, private


def main():
    root = sys.argv[1]
    may, sql, allow, private = load_rules(os.path.join(root, "cmake", "layers.txt"))
    src = os.path.join(root, "src")
    folders = {d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))}
    breaks, used = [], set()
    for folder in sorted(folders):
        if folder not in may:
            breaks.append("src/%s/: a folder cmake/layers.txt does not place" % folder)
            continue
        for dirpath, _, files in os.walk(os.path.join(src, folder)):
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)
                for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
                    m = INCLUDE.match(line)
                    if m and m.group(1) in private and not m.group(1).startswith(folder + "/"):
                        breaks.append("%s:%d: includes %s, which is private to src/%s/"
                                      % (rel, n, m.group(1), m.group(1).split("/")[0]))
                    if m and "/" in m.group(1):
                        target = m.group(1).split("/", 1)[0]
                        if target in folders and target not in may[folder]:
                            if (rel, target) in allow:
                                used.add((rel, target))
                            else:
                                breaks.append("%s:%d: includes %s: %s may not use %s"
                                              % (rel, n, m.group(1), folder, target))
                    if SQL.search(line) and folder not in sql:
                        if (rel, "sql") in allow:
                            used.add((rel, "sql"))
                        else:
                            breaks.append("%s:%d: runs SQL: %s reaches the database through "
                                          "the registry" % (rel, n, folder))
    for rel, what in sorted(allow - used):
        breaks.append("cmake/layers.txt: 'allow: %s %s' is no longer needed: remove it"
                      % (rel, what))
    for b in breaks:
        print(b)
    return 1 if breaks else 0


if __name__ == "__main__":
    sys.exit(main())
