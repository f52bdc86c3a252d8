#!/usr/bin/env python3
"""A scripted misbehaving POP3 server for the fault tests (a test double,
as hostile_imap.py): just enough POP3 over TLS for `tern sync` (CAPA, AUTH
PLAIN, USER/PASS, STAT, LIST, UIDL, RETR, TOP, DELE, NOOP, RSET, QUIT), over
a mailbox that lives as long as the process (deletions take effect at QUIT,
as RFC 1939 says). It misbehaves as SCENARIO says:

  normal       nothing wrong
  dup-uidl     two different messages listed under one UIDL
  short-retr   a RETR that ends far shorter than LIST said
  reuse        a UIDL given again, at the second session, to a new message
  slow         everything after the login one byte a second
  drop-renumber  the first session ends without a word after its second RETR, and
               another client deletes message 1 meanwhile: a new session numbers
               the messages differently (libcurl reconnects by itself)

Every message it deleted is written to DELETED_DIR (so a test can check it
is stored at the client), one file per message.

    hostile_pop3.py --cert PEM --key KEY --scenario NAME --port-file FILE --deleted DELETED_DIR
"""
import os
import threading
import time

import scripted_server


def mailbox(scenario):
    """[(uidl, bytes)] of the mailbox at the start."""
    out = []
    for i in range(1, 5):
        body = "".join("line %d of message %d\r\n" % (j, i) for j in range(1, 30))
        text = "Message-ID: <p%d@hostile.invalid>\r\nFrom: x%d@example.test\r\nSubject: pop %d\r\n\r\n%s" % (i, i, i, body)
        uidl = "UID-%d" % i
        if scenario == "dup-uidl" and i == 3:
            uidl = "UID-2"  # message 3 under message 2's UIDL
        out.append((uidl, text.encode()))
    return out


class Session(scripted_server.Connection):
    def __init__(self, conn, scenario, box, deleted_dir, lock, number):
        super().__init__(conn)
        self.scenario, self.box, self.deleted_dir, self.lock, self.number = scenario, box, deleted_dir, lock, number
        self.logged_in, self.marked, self.retrieved = False, set(), 0

    def send(self, text):
        slow = self.scenario == "slow" and self.logged_in
        self.write(text, 1 if slow else 0, 1.0)

    def cut_short(self, uidl):
        return self.scenario == "short-retr" and uidl == "UID-2"  # by UIDL: numbers change as messages go

    def listed_size(self, uidl, data):
        return 20000 if self.cut_short(uidl) else len(data)

    def run(self):
        self.send("+OK hostile POP3 ready\r\n")
        while True:
            parts = self.line().split()
            cmd, args = (parts[0].upper(), parts[1:]) if parts else ("", [])
            with self.lock:
                box = list(self.box)
            if cmd == "CAPA":
                self.send("+OK\r\nUIDL\r\nTOP\r\nUSER\r\nSASL PLAIN\r\n.\r\n")
            elif cmd == "AUTH":
                if len(args) < 2:
                    self.send("+ \r\n")
                    self.line()
                self.send("+OK logged in\r\n")
                self.logged_in = True
            elif cmd == "USER":
                self.send("+OK\r\n")
            elif cmd == "PASS":
                self.send("+OK logged in\r\n")
                self.logged_in = True
            elif cmd == "STAT":
                self.send("+OK %d %d\r\n" % (len(box), sum(len(d) for _, d in box)))
            elif cmd in ("LIST", "UIDL"):
                if args:
                    n = int(args[0])
                    uidl, data = box[n - 1]
                    self.send("+OK %d %s\r\n" % (n, uidl if cmd == "UIDL" else self.listed_size(uidl, data)))
                else:
                    lines = "".join("%d %s\r\n" % (n, uidl if cmd == "UIDL" else self.listed_size(uidl, data))
                                    for n, (uidl, data) in enumerate(box, 1))
                    self.send("+OK\r\n" + lines + ".\r\n")
            elif cmd in ("RETR", "TOP"):
                n = int(args[0])
                uidl, data = box[n - 1]
                if cmd == "TOP":
                    data = data.split(b"\r\n\r\n")[0] + b"\r\n\r\n"
                elif self.cut_short(uidl):
                    data = data[:300].rsplit(b"\r\n", 1)[0] + b"\r\n"
                stuffed = b"".join((b"." + l if l.startswith(b".") else l) + b"\r\n" for l in data.split(b"\r\n")[:-1])
                self.send(b"+OK\r\n" + stuffed + b".\r\n")
                self.retrieved += cmd == "RETR"
                if self.scenario == "drop-renumber" and self.number == 0 and self.retrieved == 2:
                    with self.lock:
                        del self.box[0]  # another client took message 1 (not a DELE of tern's)
                    return  # the connection closes without a word
            elif cmd == "DELE":
                self.marked.add(int(args[0]))
                self.send("+OK marked\r\n")
            elif cmd == "RSET":
                self.marked.clear()
                self.send("+OK\r\n")
            elif cmd == "QUIT":
                with self.lock:
                    for n in sorted(self.marked, reverse=True):
                        uidl, data = self.box[n - 1]
                        with open(os.path.join(self.deleted_dir, "%d-%s" % (time.time_ns(), uidl)), "wb") as f:
                            f.write(data)
                        del self.box[n - 1]
                self.send("+OK bye\r\n")
                return
            else:
                self.send("+OK\r\n")


def main():
    args = scripted_server.arguments(__doc__, "--deleted")
    os.makedirs(args.deleted, exist_ok=True)
    box, lock = mailbox(args.scenario), threading.Lock()

    def session(conn, number):
        if args.scenario == "reuse" and number == 1:  # the second session: an old UIDL for a new message
            with lock:
                box.append(("UID-2", b"Message-ID: <reused@hostile.invalid>\r\nSubject: a new message, an old UIDL\r\n\r\nnew\r\n"))
        return Session(conn, args.scenario, box, args.deleted, lock, number)
    scripted_server.serve(args, session)


if __name__ == "__main__":
    main()
