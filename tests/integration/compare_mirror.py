#!/usr/bin/env python3
"""Compares a server's maildir (Dovecot's Maildir++ layout) with tern's
mirror (one maildir per folder under the account root): every folder's
messages byte for byte, with the same flags. One exception, the server's:
IMAP forbids NUL in a message literal, and Dovecot sends a stored NUL as
0x80 (BINARY[] would keep it but decodes the body's transfer encoding), so
the server's files are compared with NUL read as 0x80. Prints the differences and
exits 1 when there are any; prints "same: N messages in M folders" else.

    compare_mirror.py SERVER_MAILDIR LOCAL_ROOT
    compare_mirror.py --imap PORT CA LOCAL_ROOT   the server read over IMAPS instead
                                                   (Cyrus, whose spool is not a maildir):
                                                   BODY.PEEK[] with CRLF read as LF
"""
import collections
import hashlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "servers"))
import imap_names  # noqa: E402

IMAP_FLAGS = {b"\\seen": "S", b"\\answered": "R", b"\\flagged": "F", b"\\deleted": "T", b"\\draft": "D"}


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


def imap_messages(m, server_name):
    """The same multiset for a folder read over IMAP."""
    import re
    out = collections.Counter()
    typ, _ = m.select(imap_names.quoted(server_name), readonly=True)
    if typ != "OK":
        return out
    typ, data = m.uid("FETCH", "1:*", "(FLAGS BODY.PEEK[])")
    for item in data or []:
        if not isinstance(item, tuple):
            continue
        found = re.search(rb"FLAGS \(([^)]*)\)", item[0])
        flags = "".join(sorted(IMAP_FLAGS.get(f.lower(), "") for f in (found.group(1).split() if found else [])))
        body = item[1].replace(b"\r\n", b"\n")
        out[(hashlib.sha256(body).hexdigest(), flags)] += 1
    m.close()
    return out


def imap_folders(port, ca):
    m = imap_names.connect(port, ca)
    for local, server in imap_names.folders(m):
        yield local, (m, server)


def main():
    if sys.argv[1] == "--imap":
        folders_of, read = imap_folders(sys.argv[2], sys.argv[3]), lambda where: imap_messages(*where)
        local_root = sys.argv[4]
    else:
        folders_of, read = server_folders(sys.argv[1]), lambda path: messages(path, server=True)
        local_root = sys.argv[2]
    problems, total, folders = [], 0, 0
    for name, path in folders_of:
        theirs = read(path)
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
