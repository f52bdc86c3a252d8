#!/usr/bin/env python3
"""Another IMAP client for the sync tests: changes what is on the server the
way a phone or webmail would.

    imap_client.py PORT CA COMMAND ARGS...
      flag FOLDER UID +|- FLAG        UID STORE
      expunge FOLDER UID              \\Deleted + EXPUNGE
      append FOLDER FILE [FLAGS]      APPEND the file's bytes (LF -> CRLF)
      create FOLDER                   CREATE
      flags FOLDER UID                print the message's flags
      uids FOLDER                     print the folder's UIDs
      unseen FOLDER                   print how many are not \\Seen
      count-id FOLDER MESSAGE-ID      print how many have that Message-ID
      grep FOLDER TEXT                print how many hold TEXT (bytes, anywhere)
      append-many FOLDER N            APPEND N generated messages (Message-ID <load-I@...>)
      renumber FOLDER                 give the folder a new UIDVALIDITY, its mail kept
                                      (copied to a new folder that takes its name)
IMAP_CLIENT_LOGIN=user:password logs in as another user (default testuser).
Folders are named as tern's local tree names them ("Saved/Deep"); the
server's own names ("INBOX.Saved.Deep" on Cyrus) come from NAMESPACE.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "servers"))
import imap_names  # noqa: E402
import imaplib  # noqa: E402

imaplib.Commands.setdefault("SETMETADATA", ("AUTH", "SELECTED"))  # RFC 5464, unknown to imaplib


def main():
    port, ca, command, args = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    user, password = os.environ.get("IMAP_CLIENT_LOGIN", "testuser:testpass").split(":", 1)
    m = imap_names.connect(port, ca, user, password)
    if args and command != "renumber":
        args[0] = imap_names.quoted(imap_names.server_name(m, args[0]))
    if command == "flag":
        folder, uid, sign, flag = args
        m.select(folder)
        typ, _ = m.uid("STORE", uid, sign + "FLAGS", "(%s)" % flag)
    elif command == "expunge":
        folder, uid = args
        m.select(folder)
        m.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
        typ, _ = m.expunge()
    elif command == "append":
        folder, path = args[0], args[1]
        flags = args[2] if len(args) > 2 else ""
        data = open(path, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        typ, _ = m.append(folder, flags, None, data)
    elif command == "append-many":  # append-many FOLDER N: N load messages (Message-ID <load-I@example.org>)
        body = b"A line of a long enough message body to take some time to download.\r\n" * 300
        batch = [("", None, b"From: Loader <load@example.org>\r\nSubject: load %d\r\nMessage-ID: <load-%d@example.org>\r\n\r\n"
                  % (i, i) + body) for i in range(int(args[1]))]
        answer = imap_names.append_all(m, args[0][1:-1], batch)  # args[0]: the server name, quoted above
        typ = "OK" if answer == "OK" else sys.exit("append-many: " + answer)
    elif command == "create":
        typ, _ = m.create(args[0])
        m.subscribe(args[0])
    elif command == "renumber":
        name = imap_names.quoted(imap_names.server_name(m, args[0]))
        fresh = imap_names.quoted(imap_names.server_name(m, args[0] + "-renumbered"))
        # Cyrus refuses to delete a SPECIAL-USE folder: its use moves to the new one
        use = None
        if "METADATA" in m.capabilities:
            typ, data = m.list('""', name)
            found = re.search(rb"(\\(?:Sent|Drafts|Trash|Junk|Archive|All|Flagged))\b", data[0] or b"")
            use = found.group(1).decode() if found else None
            if use:
                m._simple_command("SETMETADATA", name, "(/private/specialuse NIL)")
        m.create(fresh)
        m.select(name)
        typ, _ = m.uid("COPY", "1:*", fresh)
        m.close()
        if typ == "OK":
            typ, _ = m.delete(name)
        if typ == "OK":
            typ, _ = m.rename(fresh, name)
            m.subscribe(name)
        if typ == "OK" and use:
            typ, _ = m._simple_command("SETMETADATA", name, '(/private/specialuse "%s")' % use)
    elif command == "grep":
        m.select(args[0], readonly=True)
        typ, data = m.uid("FETCH", "1:*", "(BODY.PEEK[])")
        needle = args[1].encode()
        print(sum(1 for item in data or [] if isinstance(item, tuple) and needle in item[1]))
    elif command == "count-id":
        m.select(args[0], readonly=True)
        typ, data = m.uid("SEARCH", None, "HEADER", "Message-ID", '"%s"' % args[1])
        print(len(data[0].split()))
    elif command in ("flags", "uids", "unseen"):
        m.select(args[0], readonly=True)
        if command == "flags":
            typ, data = m.uid("FETCH", args[1], "(FLAGS)")
            print(data[0].decode() if data and data[0] else "")
        elif command == "unseen":
            typ, data = m.uid("SEARCH", None, "UNSEEN")
            print(len(data[0].split()))
        else:
            typ, data = m.uid("SEARCH", None, "ALL")
            print(data[0].decode())
    else:
        sys.exit("unknown command " + command)
    m.logout()
    sys.exit(0 if typ == "OK" else 1)


main()
