#!/usr/bin/env python3
"""A scripted misbehaving IMAP server for the fault tests: the one test
double of the project, because no real server misbehaves on demand. It
speaks just enough IMAP4rev1 over TLS (the harness's certificate) for a
`tern sync`: CAPABILITY, AUTHENTICATE PLAIN (SASL-IR), LIST, LSUB, SELECT,
UID FETCH, UID SEARCH, UID STORE, APPEND, CREATE, SUBSCRIBE, NOOP, LOGOUT,
over a few messages in INBOX, and misbehaves as SCENARIO says:

  normal          nothing wrong (the baseline)
  short-literal   a message literal announced far larger than what is sent,
                  then the connection closes
  huge-literal    a literal of 4 GB announced
  untagged        untagged responses (EXISTS, RECENT, FLAGS, ALERT) in the
                  middle of a FETCH and after it
  bye             BYE in the middle of the message FETCH
  names           folders named with '/', '..', control characters, bad
                  modified UTF-7, a leading dot, an absolute path
  uidvalidity     a new UIDVALIDITY at every session
  backwards       UIDs lower at every session, UIDVALIDITY the same
  exists          SELECT says 10^6 EXISTS; three messages are there
  slow            everything after the login one byte a second

    hostile_imap.py --cert PEM --key KEY --scenario NAME --port-file FILE

Listens on 127.0.0.1 (a free port, written to FILE), serves sessions one at
a time until killed; the session number is kept across sessions so that
uidvalidity and backwards can change between them.
"""
import time

import scripted_server

MESSAGES = [
    ("Message-ID: <h1@hostile.invalid>\r\nFrom: a@example.test\r\nSubject: first\r\n\r\nbody one\r\n", "\\Seen"),
    ("Message-ID: <h2@hostile.invalid>\r\nFrom: b@example.test\r\nSubject: second\r\n\r\nbody two\r\n", ""),
    ("Message-ID: <h3@hostile.invalid>\r\nFrom: c@example.test\r\nSubject: third\r\n\r\nbody three\r\n", "\\Flagged"),
]
NAMES = ["INBOX", "../../escape", "/etc/cron.d", "a/../../b", "ctl\x01\x1b[2Jname", "&Jjo-bad", "&-amp", "&ZeVnLIqe-", ".hidden",
         "..", "~", "x/y/z", "dup_", "dup\x02"]  # the last two would share the local folder dup_


class Session(scripted_server.Connection):
    def __init__(self, conn, scenario, number):
        super().__init__(conn)
        self.scenario, self.n = scenario, number
        self.logged_in = False  # slow: everything after the login trickles

    def send(self, data):
        slow = self.scenario == "slow" and self.logged_in
        self.write(data, 1 if slow else 0, 1.0)

    def uids(self):
        base = 100 - 10 * self.n if self.scenario == "backwards" else 1
        return [base + i for i in range(len(MESSAGES))]

    def uidvalidity(self):
        return 1000 + self.n if self.scenario == "uidvalidity" else 1000

    def fetch(self, tag, args):
        uids = self.uids()
        want_body = "BODY.PEEK[]" in args.upper()
        want_ids = "HEADER.FIELDS" in args.upper()
        want_size = "RFC822.SIZE" in args.upper()
        for i, (text, flags) in enumerate(MESSAGES):
            seq, uid = i + 1, uids[i]
            if self.scenario == "untagged" and i == 1:
                self.send("* 4 EXISTS\r\n* 1 RECENT\r\n* FLAGS (\\Seen \\Flagged \\Deleted)\r\n* OK [ALERT] be careful\r\n")
            if self.scenario == "bye" and want_body and i == 1:
                self.send("* BYE going away now\r\n")
                raise EOFError
            if want_body:
                body = text.encode()
                if self.scenario == "short-literal" and i == 1:
                    self.send("* %d FETCH (UID %d FLAGS (%s) RFC822.SIZE %d BODY[] {%d}\r\n" % (seq, uid, flags, len(body), 50000))
                    self.send(body)
                    raise EOFError
                if self.scenario == "huge-literal" and i == 1:
                    self.send("* %d FETCH (UID %d FLAGS (%s) RFC822.SIZE %d BODY[] {4294967296}\r\n" % (seq, uid, flags, len(body)))
                    self.send(body)
                    time.sleep(2)
                    raise EOFError
                self.send("* %d FETCH (UID %d FLAGS (%s) INTERNALDATE \"01-Dec-2026 10:00:00 +0000\" RFC822.SIZE %d BODY[] {%d}\r\n"
                          % (seq, uid, flags, len(body), len(body)))
                self.send(body + b")\r\n")
            elif want_ids:
                head = text.split("\r\n\r\n")[0].split("\r\n")[0] + "\r\n\r\n"
                self.send("* %d FETCH (UID %d FLAGS (%s) RFC822.SIZE %d BODY[HEADER.FIELDS (MESSAGE-ID)] {%d}\r\n%s)\r\n"
                          % (seq, uid, flags, len(text), len(head), head))
            elif want_size:
                self.send("* %d FETCH (UID %d RFC822.SIZE %d)\r\n" % (seq, uid, len(text)))
            else:
                self.send("* %d FETCH (UID %d FLAGS (%s))\r\n" % (seq, uid, flags))
        if self.scenario == "untagged":
            self.send("* 3 EXISTS\r\n* OK [ALERT] still here\r\n")
        self.send("%s OK FETCH done\r\n" % tag)

    def run(self):
        caps = "IMAP4rev1 AUTH=PLAIN SASL-IR UIDPLUS"
        self.send("* OK [CAPABILITY %s] hostile ready\r\n" % caps)
        while True:
            line = self.line()
            tag, _, rest = line.partition(" ")
            cmd, _, args = rest.partition(" ")
            cmd = cmd.upper()
            if cmd == "UID":
                cmd, _, args = args.partition(" ")
                cmd = "UID " + cmd.upper()
            if cmd == "CAPABILITY":
                self.send("* CAPABILITY %s\r\n%s OK done\r\n" % (caps, tag))
            elif cmd == "AUTHENTICATE":
                if len(args.split()) < 2:
                    self.send("+ \r\n")
                    self.line()
                self.send("%s OK [CAPABILITY %s] logged in\r\n" % (tag, caps))
                self.logged_in = True
            elif cmd == "LOGIN":
                self.send("%s OK logged in\r\n" % tag)
                self.logged_in = True
            elif cmd in ("LIST", "LSUB"):
                names = NAMES if self.scenario == "names" else ["INBOX"]
                for name in names:
                    self.send('* %s () "/" "%s"\r\n' % (cmd, name.replace("\\", "\\\\").replace('"', '\\"')))
                self.send("%s OK done\r\n" % tag)
            elif cmd in ("SELECT", "EXAMINE"):
                exists = 1000000 if self.scenario == "exists" else len(MESSAGES)
                self.send("* %d EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY %d] ok\r\n* OK [UIDNEXT %d] ok\r\n"
                          "* FLAGS (\\Seen \\Flagged \\Deleted \\Answered \\Draft)\r\n%s OK [READ-WRITE] selected\r\n"
                          % (exists, self.uidvalidity(), self.uids()[-1] + 1, tag))
            elif cmd == "UID FETCH":
                self.fetch(tag, args)
            elif cmd == "UID SEARCH":
                self.send("* SEARCH %s\r\n%s OK done\r\n" % (" ".join(map(str, self.uids())), tag))
            elif cmd == "APPEND":
                n = int(args.rsplit("{", 1)[1].rstrip("}+"))
                if not args.endswith("+}"):
                    self.send("+ go ahead\r\n")
                self.literal(n)
                self.line()
                self.send("%s OK [APPENDUID %d 999] appended\r\n" % (tag, self.uidvalidity()))
            elif cmd == "LOGOUT":
                self.send("* BYE bye\r\n%s OK done\r\n" % tag)
                return
            else:  # NOOP, STORE, CREATE, SUBSCRIBE, EXPUNGE, ENABLE, ID: agreed to
                self.send("%s OK done\r\n" % tag)


def main():
    args = scripted_server.arguments(__doc__)
    scripted_server.serve(args, lambda conn, n: Session(conn, args.scenario, n))


if __name__ == "__main__":
    main()
