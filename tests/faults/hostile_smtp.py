#!/usr/bin/env python3
"""A scripted misbehaving SMTP server for the fault tests (a test double,
as hostile_imap.py): SMTP over TLS (implicit, as smtps://) with EHLO, AUTH
PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT; each message it takes is written
to ACCEPTED_DIR with its recipients. It misbehaves as SCENARIO says:

  split       every reply sent in pieces of a few bytes, a multi-line EHLO
              and a multi-line RCPT refusal split inside their lines
  421-data    the first session answers the message's final dot with 421
              and hangs up; later sessions behave
  refuse-one  a multi-line 550 for one recipient of two

    hostile_smtp.py --cert PEM --key KEY --scenario NAME --port-file FILE --accepted DIR
"""
import json
import os
import time

import scripted_server


class Session(scripted_server.Connection):
    def __init__(self, conn, scenario, number, accepted):
        super().__init__(conn)
        self.scenario, self.n, self.accepted = scenario, number, accepted

    def send(self, text):
        self.write(text, 3 if self.scenario == "split" else 0, 0.002)

    def data(self):
        lines = []
        while True:
            line = self.line()
            if line == ".":
                return "".join((l[1:] if l.startswith(".") else l) + "\r\n" for l in lines)
            lines.append(line)

    def run(self):
        self.send("220 hostile.invalid ESMTP ready\r\n")
        sender, rcpts = None, []
        while True:
            line = self.line()
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.send("250-hostile.invalid greets you\r\n250-SIZE 10000000\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n"
                          "250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n")
            elif verb == "AUTH":
                if len(line.split()) < 3:
                    self.send("334 \r\n")
                    self.line()
                self.send("235 2.7.0 authenticated\r\n")
            elif verb == "MAIL":
                sender, rcpts = line[10:].split(">")[0].lstrip("<"), []
                self.send("250 2.1.0 ok\r\n")
            elif verb == "RCPT":
                rcpt = line[8:].split(">")[0].lstrip("<")
                if self.scenario == "refuse-one" and rcpt.startswith("other"):
                    self.send("550-5.1.1 no such user here,\r\n550-5.1.1 not now,\r\n550 5.1.1 not ever\r\n")
                else:
                    rcpts.append(rcpt)
                    self.send("250 2.1.5 ok\r\n")
            elif verb == "DATA":
                self.send("354 go ahead\r\n")
                body = self.data()
                if self.scenario == "421-data" and self.n == 0:
                    self.send("421 4.3.0 shutting down for maintenance\r\n")
                    raise EOFError
                with open(os.path.join(self.accepted, "%d.json" % time.time_ns()), "w") as f:
                    json.dump({"from": sender, "to": rcpts, "message": body}, f)
                self.send("250 2.0.0 queued\r\n")
            elif verb == "QUIT":
                self.send("221 2.0.0 bye\r\n")
                return
            else:  # RSET, NOOP
                self.send("250 2.0.0 ok\r\n")


def main():
    args = scripted_server.arguments(__doc__, "--accepted")
    os.makedirs(args.accepted, exist_ok=True)
    scripted_server.serve(args, lambda conn, n: Session(conn, args.scenario, n, args.accepted))


if __name__ == "__main__":
    main()
