#!/usr/bin/python3
"""Deterministic sample mail for `make demo`: a few hundred realistic messages.

usage: sample_mail.py MAILDIR COUNT

Writes into MAILDIR (INBOX) and its .Archive and .Sent folders: threads with
In-Reply-To/References, RFC 2047 encoded names and subjects (UTF-8 and
ISO-8859-1), multipart/alternative with HTML, attachments in base64, quoted
replies, signatures, format=flowed, a few flagged and answered messages. The
same COUNT always gives the same files (seeded), apart from the dates, which
end at the current time. File names carry S= and W= so Dovecot need not open
the files to learn their sizes.
"""
import base64
import os
import random
import sys
import time
from email.header import Header

maildir, count = sys.argv[1], int(sys.argv[2])
rnd = random.Random(2026)
now = int(time.time())

PEOPLE = [
    ("Alice Example", "alice@example.com"), ("Bob Builder", "bob@example.org"),
    ("Jörg Müller", "joerg@example.de"), ("Zoë Ångström", "zoe@example.se"),
    ("李小龙", "xiaolong@example.cn"), ("Carol Danvers", "carol@example.net"),
    ("Dave Null", "dave@example.com"), ("Eve Listener", "eve@example.org"),
    ("François Côté", "francois@example.fr"), ("tern-dev list", "tern-dev@lists.example.org"),
]
ME = ("Test User", "testuser@localhost")
TOPICS = [
    "Quarterly report", "Lunch on Friday?", "Build broken on main", "Release 0.2 planning",
    "Über die Konfiguration", "Café meeting notes", "Invoice 2026-{n}", "Your order has shipped",
    "Re-thinking the index format", "Holiday photos", "会议安排", "Security update for the servers",
    "Question about IMAP IDLE", "Patch: fix threading of long subjects", "Welcome to the list",
]
WORDS = ("mail reader terminal thread index pager folder offline sync server client key "
         "message header body attachment quote reply forward draft archive search limit").split()


def address(person):
    name, addr = person
    try:
        name.encode("ascii")
        return '"%s" <%s>' % (name, addr) if "," in name else "%s <%s>" % (name, addr)
    except UnicodeEncodeError:
        charset = "iso-8859-1" if rnd.random() < 0.3 and all(ord(c) < 256 for c in name) else "utf-8"
        return "%s <%s>" % (Header(name, charset).encode(), addr)


def subject_header(text):
    try:
        text.encode("ascii")
        return text
    except UnicodeEncodeError:
        return Header(text, "utf-8").encode()


def paragraph():
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(20, 60))).capitalize() + "."


def wrap(text, width=72):
    out, line = [], ""
    for w in text.split():
        if len(line) + len(w) + 1 > width:
            out.append(line)
            line = w
        else:
            line = (line + " " + w).strip()
    out.append(line)
    return "\n".join(out)


def body_text(quote=None):
    parts = [wrap(paragraph()) for _ in range(rnd.randint(1, 4))]
    if quote:
        parts.insert(0, "On an earlier day, someone wrote:\n" + "\n".join("> " + l for l in quote.splitlines()[:8]))
    if rnd.random() < 0.5:
        parts.append("-- \n" + rnd.choice(["Alice", "Sent from my terminal", "Bob\nhttps://example.org"]))
    return "\n\n".join(parts) + "\n"


def build(i, sender, to, subject, msgid, parent, refs, when, text):
    headers = [
        "From: " + address(sender),
        "To: " + address(to),
        "Subject: " + subject_header(subject),
        "Date: " + time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(when)),
        "Message-ID: " + msgid,
    ]
    if parent:
        headers += ["In-Reply-To: " + parent, "References: " + " ".join(refs)]
    if sender[1].startswith("tern-dev") or rnd.random() < 0.1:
        headers.append("List-Id: tern development <tern-dev.lists.example.org>")
    headers.append("MIME-Version: 1.0")
    kind = rnd.random()
    if kind < 0.15:  # multipart/alternative with HTML
        b = "alt-%d" % i
        html = "<html><body><p>" + "</p><p>".join(text.split("\n\n")) + "</p><p><a href=\"https://example.org/%d\">link</a></p></body></html>" % i
        headers.append('Content-Type: multipart/alternative; boundary="%s"' % b)
        body = ("--%s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s\n"
                "--%s\nContent-Type: text/html; charset=utf-8\n\n%s\n--%s--\n") % (b, text, b, html, b)
    elif kind < 0.27:  # an attachment
        b = "mix-%d" % i
        name = rnd.choice(["report.pdf", "photo.jpg", "notes.txt", "Übersicht.pdf"])
        data = bytes(rnd.randrange(256) for _ in range(rnd.randint(200, 3000)))
        encoded = "\n".join(base64.b64encode(data).decode()[k:k + 76] for k in range(0, len(base64.b64encode(data)), 76))
        disp = ('attachment; filename="%s"' % name) if name.isascii() else \
            "attachment; filename*=UTF-8''%s" % "".join(c if c.isascii() else "".join("%%%02X" % x for x in c.encode()) for c in name)
        headers.append('Content-Type: multipart/mixed; boundary="%s"' % b)
        body = ("--%s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s\n"
                "--%s\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n"
                "Content-Disposition: %s\n\n%s\n--%s--\n") % (b, text, b, disp, encoded, b)
    elif kind < 0.35:  # quoted-printable, latin-1
        headers += ["Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: quoted-printable"]
        body = text.replace("=", "=3D") + "\nGr=FC=DFe, J=F6rg\n"
    elif kind < 0.45:
        headers += ["Content-Type: text/plain; charset=utf-8; format=flowed", "Content-Transfer-Encoding: 8bit"]
        body = "\n".join(l + " " if l and not l.startswith(">") else l for l in text.splitlines()) + "\n"
    else:
        headers += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
        body = text
    return ("\n".join(headers) + "\n\n" + body).encode("utf-8")


def write(folder, n, when, data, flags):
    d = maildir if folder == "INBOX" else os.path.join(maildir, "." + folder)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    if folder != "INBOX":
        open(os.path.join(d, "maildirfolder"), "a").close()
    size = len(data)
    name = "%d.M%dP%d.tern-demo,S=%d,W=%d:2,%s" % (when, n, os.getpid(), size, size + data.count(b"\n"), flags)
    with open(os.path.join(d, "cur", name), "wb") as f:
        f.write(data)


threads = []  # each: [subject, [message ids], last text]
span = 90 * 86400
for i in range(count):
    when = now - span + (span * i) // max(count, 1) + rnd.randint(0, 600)
    msgid = "<demo-%d@tern.example>" % i
    if threads and rnd.random() < 0.45:
        t = rnd.choice(threads[-15:])
        subject = t[0] if t[0].lower().startswith("re:") else "Re: " + t[0]
        parent, refs = t[1][-1], t[1][-10:]
        text = body_text(quote=t[2])
        t[1].append(msgid)
        t[2] = text
    else:
        subject = rnd.choice(TOPICS).replace("{n}", str(100 + i))
        parent, refs = None, []
        text = body_text()
        threads.append([subject, [msgid], text])
    sent = rnd.random() < 0.1
    sender, to = (ME, rnd.choice(PEOPLE)) if sent else (rnd.choice(PEOPLE), ME)
    data = build(i, sender, to, subject, msgid, parent, refs, when, text)
    age = now - when
    flags = ""
    if rnd.random() < 0.08:
        flags += "F"
    if rnd.random() < 0.15:
        flags += "R"
    if age > 3 * 86400 or rnd.random() < 0.5:
        flags += "S"
    folder = "Sent" if sent else ("Archive" if age > 60 * 86400 and rnd.random() < 0.5 else "INBOX")
    if folder == "Sent":
        flags = "S"
    write(folder, i, when, data, "".join(sorted(flags)))
print("wrote %d sample messages into %s" % (count, maildir))
