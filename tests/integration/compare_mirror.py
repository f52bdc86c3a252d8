#!/usr/bin/env python3
"""Compares a server's maildir (Dovecot's Maildir++ layout) with tern's
mirror (one maildir per folder under the account root): every folder's
messages byte for byte, with the same flags. One exception, the server's:
IMAP forbids NUL in a message literal, and Dovecot sends a stored NUL as
0x80 (BINARY[] would keep it but decodes the body's transfer encoding), so
the server's files are compared with NUL read as 0x80. Prints the differences and
exits 1 when there are any; prints "same: N messages in M folders" else.

    compare_mirror.py SERVER_MAILDIR LOCAL_ROOT
"""
import collections
import hashlib
import os
import sys


def messages(folder, server=False):
    """Multiset of (sha256, flags) of a maildir folder; flags are the
    upper-case maildir letters (Dovecot's keyword letters are dropped)."""
    out = collections.Counter()
    for sub in ("cur", "new"):
        d = os.path.join(folder, sub)
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            if name.startswith("."):
                continue
            with open(os.path.join(d, name), "rb") as f:
                data = f.read()
            if server:
                data = data.replace(b"\x00", b"\x80")
            digest = hashlib.sha256(data).hexdigest()
            flags = name.split(":2,", 1)[1] if ":2," in name else ""
            out[(digest, "".join(sorted(c for c in flags if c.isupper())))] += 1
    return out


def server_folders(root):
    yield "INBOX", root
    for name in sorted(os.listdir(root)):
        if name.startswith(".") and os.path.isdir(os.path.join(root, name, "cur")):
            yield name[1:].replace(".", "/"), os.path.join(root, name)


def main():
    server_root, local_root = sys.argv[1], sys.argv[2]
    problems, total, folders = [], 0, 0
    for name, path in server_folders(server_root):
        theirs = messages(path, server=True)
        ours = messages(os.path.join(local_root, name))
        folders += 1
        total += sum(theirs.values())
        if theirs != ours:
            missing = theirs - ours
            extra = ours - theirs
            problems.append("%s: %d on the server only, %d locally only %s %s" % (
                name, sum(missing.values()), sum(extra.values()), list(missing)[:2], list(extra)[:2]))
    if problems:
        print("\n".join(problems))
        return 1
    print("same: %d messages in %d folders" % (total, folders))
    return 0


sys.exit(main())
