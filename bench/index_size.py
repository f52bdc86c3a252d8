#!/usr/bin/env python3
"""Where an index database's bytes are: its size and its parts (SQLite's
dbstat), the full-text index's tables grouped. Usage: index_size.py DB"""
import os
import sqlite3
import sys

GROUPS = [  # (label, table names or prefixes)
    ("body trigrams", ("bodies_",)),
    ("body text", ("body_texts", "bodies_content")),
    ("header trigrams", ("headers_",)),
    ("header text", ("headers_content",)),
    ("header blocks", ("header_blocks",)),
    ("rows and their indexes", ("messages", "sqlite_autoindex_messages")),
]


def group_of(name):
    # the most specific match: bodies_content is body text, not body trigrams
    best = None
    for label, keys in GROUPS:
        for k in keys:
            if name == k or (k.endswith("_") and name.startswith(k)) or name.startswith(k + "_"):
                if best is None or len(k) > best[1]:
                    best = (label, len(k))
    return best[0] if best else "other"


def main():
    path = sys.argv[1]
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sizes = {}
    for name, size in db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        g = group_of(name)
        sizes[g] = sizes.get(g, 0) + size
    total = os.path.getsize(path)
    print(f"index database {total / 1e6:.1f} MB: " +
          ", ".join(f"{label} {sizes[label] / 1e6:.1f}" for label, _ in GROUPS + [("other", ())] if sizes.get(label)))


main()
