#!/usr/bin/python3
"""Loads a Maildir++ tree (INBOX and its .Sub.Folders) into an IMAP server by
APPEND, with each file's flags and its Date as the internal date: how the
harness fills a server whose store is not a maildir (Cyrus).

    append_maildir.py PORT USER PASSWORD MAILDIR
"""
import email.utils
import imaplib
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imap_names  # noqa: E402

LETTERS = {"S": "\\Seen", "R": "\\Answered", "F": "\\Flagged", "T": "\\Deleted", "D": "\\Draft"}


def folders(root):
    yield "INBOX", root
    for name in sorted(os.listdir(root)):
        if name.startswith(".") and os.path.isdir(os.path.join(root, name, "cur")):
            yield name[1:].replace(".", "/"), os.path.join(root, name)


def date_of(data):
    head = data.split(b"\n\n", 1)[0].decode("utf-8", "replace")
    for line in head.split("\n"):
        if line.lower().startswith("date:"):
            parsed = email.utils.parsedate_tz(line[5:].strip())
            if parsed:
                return imaplib.Time2Internaldate(email.utils.mktime_tz(parsed))
    return imaplib.Time2Internaldate(time.time())


def main():
    port, user, password, root = sys.argv[1:5]
    m = imaplib.IMAP4("127.0.0.1", int(port))
    m.login(user, password)
    existing = {local for local, _ in imap_names.folders(m)}
    count = 0
    for local, path in folders(root):
        if not os.path.isdir(os.path.join(path, "cur")):
            continue
        if local not in existing:
            box = imap_names.quoted(imap_names.server_name(m, local))
            m.create(box)
            m.subscribe(box)
        batch = []
        for sub in ("cur", "new"):
            for name in sorted(os.listdir(os.path.join(path, sub)) if os.path.isdir(os.path.join(path, sub)) else []):
                data = open(os.path.join(path, sub, name), "rb").read()
                letters = name.split(":2,", 1)[1] if ":2," in name else ""
                flags = "(%s)" % " ".join(LETTERS[c] for c in letters if c in LETTERS)
                crlf = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
                batch.append((flags, date_of(data), crlf))
        answer = imap_names.append_all(m, imap_names.server_name(m, local), batch)
        if answer != "OK":
            sys.exit("APPEND to %s refused: %s" % (local, answer))
        count += len(batch)
    m.logout()
    print("appended %d messages" % count)


main()
