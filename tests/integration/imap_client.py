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
"""
import imaplib
import ssl
import sys


def main():
    port, ca, command, args = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    context = ssl.create_default_context(cafile=ca)
    context.check_hostname = False
    m = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=context, timeout=30)
    m.login("testuser", "testpass")
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
    elif command == "create":
        typ, _ = m.create(args[0])
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
