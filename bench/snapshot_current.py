#!/usr/bin/env python3
"""Whether a folder's snapshot (store/folder_snapshot: rows and thread order,
kept beside the index database by the reader's store worker) is current:
the generation in its header is the database's. Exit 0 if so, else 1.
Usage: snapshot_current.py DB [FOLDER]   (FOLDER: INBOX)"""
import sqlite3
import struct
import sys

VERSION = 3  # store/folder_snapshot.cpp's kVersion


def main():
    db = sys.argv[1]
    folder = sys.argv[2] if len(sys.argv) > 2 else "INBOX"
    try:
        row = sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute(
            "SELECT id, generation FROM folders WHERE name = ?", (folder,)).fetchone()
        with open("%s.rows-%d" % (db, row[0]), "rb") as f:
            head = f.read(20)
        # magic (8 bytes), version (4), generation (8, little-endian); a snapshot of
        # another version is not read (the reader reads the database, as if it were old)
        current = head[:8] == b"TERNROW1" and struct.unpack_from("<I", head, 8)[0] == VERSION
        return 0 if current and struct.unpack_from("<q", head, 12)[0] == row[1] else 1
    except (OSError, TypeError, sqlite3.Error):
        return 1


sys.exit(main())
