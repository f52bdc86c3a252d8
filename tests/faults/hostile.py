#!/usr/bin/env python3
"""tern sync against the scripted misbehaving IMAP server (hostile_imap.py),
one scenario at a time: each must end in a clear error (exit status 1, one
line, within its time limit) or a correct result (the three messages, once
each), with memory bounded, no file written outside the account's maildir
and index, and, after a failure, a sync against a well-behaved server that
completes the mirror without a message twice. Then the same for POP3
(hostile_pop3.py, leave_on_server = no: pop3-NAME scenarios): every message
the server deleted is stored here, byte for byte, and nothing is here twice.
And for SMTP (hostile_smtp.py: smtp-NAME scenarios): each recipient the
server takes gets the message once, a refusal is named, a message the
server hung up on waits in the outbox and goes once with the next sync.

    hostile.py --tern TERN --cert PEM --key KEY --ca CA --work DIR [SCENARIO...]

Prints a line per scenario ("ok" or "FAIL" and why) and exits 1 on any FAIL.
"""
import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# scenario: (what the sync must end in, a phrase its message holds, syncs to run)
EXPECT = {
    "normal": ("ok", "", 1),
    "short-literal": ("error", "closed the connection", 1),
    "huge-literal": ("error", "literal of 4294967296 bytes", 1),
    "untagged": ("ok", "", 1),
    "bye": ("error", "ended the session: going away now", 1),
    "names": ("ok", "would share the local folder dup_", 2),
    "uidvalidity": ("ok", "", 3),
    "backwards": ("ok", "", 3),
    "exists": ("ok", "", 1),
    "slow": ("error", "too slowly", 1),
}
# POP3 scenario: (what each sync must end in, a phrase, syncs, messages here at the end, deleted there)
POP3 = {
    "pop3-normal": ("ok", "", 2, 4, 4),
    "pop3-dup-uidl": ("ok", "messages share the UIDL UID-2", 2, 4, 2),  # the two of UID-2 stay there
    "pop3-short-retr": ("ok", "came shorter than the server listed it", 2, 3, 3),  # message 2 stays there
    "pop3-reuse": ("ok", "", 2, 5, 5),  # the new message under an old UIDL is another message
    "pop3-slow": ("error", "Timeout", 1, 0, 0),
    # the first sync fails (its session is gone); the next stores 3 and 4 and deletes 2, 3, 4
    "pop3-drop-renumber": ("error-then-ok", "downloading message 3 failed", 2, 4, 3),
}
# SMTP scenario: (tern send's exit statuses, a phrase on its stderr, recipients the server took, a sync after)
SMTP = {
    "smtp-split": ((0,), "", ["testuser@example.test", "other@example.test"], False),
    # whether tern reads the 421 before it sees the connection close decides between "waits" (1) and
    # "queued" (0); either way the message is in the outbox
    "smtp-421-data": ((0, 1), "outbox", ["testuser@example.test", "other@example.test"], True),
    "smtp-refuse-one": ((1,), "other@example.test refused by", ["testuser@example.test"], False),
}
MEMORY_LIMIT_KB = 400 * 1024  # the sanitizer build's own overhead included


class Server:
    """A scripted server of ours (hostile_imap.py unless `script` says
    another), started for one scenario and stopped by its PID."""

    def __init__(self, args, scenario, where, script="hostile_imap.py", *extra):
        self.port_file = os.path.join(where, "port." + scenario)
        self.p = subprocess.Popen([sys.executable, os.path.join(HERE, script), "--cert", args.cert, "--key", args.key,
                                   "--scenario", scenario, "--port-file", self.port_file] + list(extra))
        for _ in range(100):
            if os.path.exists(self.port_file):
                break
            time.sleep(0.05)
        with open(self.port_file) as f:
            self.port = int(f.read())

    def stop(self):
        self.p.send_signal(signal.SIGTERM)  # ours, by its PID
        self.p.wait(timeout=10)


def config(args, where, port):
    path = os.path.join(where, "config")
    with open(path, "w") as f:
        f.write('account h {\n    from = "Test User <testuser@localhost>"\n    receive = imaps://testuser@127.0.0.1:%d\n'
                '    password_command = "printf %%s secret"\n    ca_file = %s\n    maildir = %s/mail\n'
                '    timeout = 3\n    connect_timeout = 5\n}\n' % (port, args.ca, where))
    return path


def sync(args, where, cfg, limit=60):
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(where, "data"))
    env.pop("XDG_CONFIG_HOME", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    try:
        p = subprocess.run([args.tern, "-F", cfg, "sync"], env=env, capture_output=True, timeout=limit)
        status, err = p.returncode, p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        status, err = None, "did not end within %d s" % limit
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far
    return status, err.strip(), time.monotonic() - started, max(rss, before)


def folders_here(where):
    """{local folder: messages in it} of the account's maildir root."""
    out = {}
    root = os.path.join(where, "mail")
    for top, _, files in os.walk(root):
        if os.path.basename(top) in ("cur", "new") and "/." not in top[len(root):]:
            folder = os.path.relpath(os.path.dirname(top), root)
            out[folder] = out.get(folder, 0) + len(files)
    return out


def wrong_counts(where):
    """Folders that do not hold the server's three messages, once each."""
    counts = folders_here(where)
    return {f: n for f, n in counts.items() if n != 3} if counts else {"INBOX": 0}


def outside(where):
    """What the sync made in the work folder that is not the maildir, the
    index or the config (nothing may be)."""
    allowed = ("mail", "data", "config", "port.")
    return sorted(n for n in os.listdir(where) if not n.startswith(allowed))


def run(args, scenario):
    where = os.path.join(args.work, scenario)
    inner = os.path.join(where, "account")
    os.makedirs(inner)
    parent_before = set(os.listdir(where))
    expect, phrase, syncs = EXPECT[scenario]
    server = Server(args, scenario, where)
    problems = []
    try:
        cfg = config(args, inner, server.port)
        for i in range(syncs):
            status, err, took, rss = sync(args, inner, cfg)
            if expect == "ok" and status != 0:
                problems.append("sync %d: exit status %s: %s" % (i + 1, status, err[-300:]))
            if expect == "ok" and phrase and (phrase not in err or "\x1b" in err or "\x02" in err):
                problems.append("sync %d: stderr does not say '%s' (with no control characters): %r" % (i + 1, phrase, err[-300:]))
            if expect == "error":
                if status != 1:
                    problems.append("exit status %s, expected 1: %s" % (status, err[-300:]))
                elif phrase not in err or len(err.splitlines()) != 1:
                    problems.append("not one line saying '%s': %s" % (phrase, err[-300:]))
            if rss > MEMORY_LIMIT_KB:
                problems.append("peak memory %d MB" % (rss // 1024))
            if expect == "ok" and status == 0 and wrong_counts(inner):
                problems.append("sync %d: messages here by folder %s, expected 3 in each" % (i + 1, wrong_counts(inner)))
    finally:
        server.stop()
    if expect == "error":
        # with a server that behaves, the same store completes: the three messages, once each
        good = Server(args, "normal", where)
        try:
            status, err, _, _ = sync(args, inner, config(args, inner, good.port))
            if status != 0 or wrong_counts(inner):
                problems.append("the next sync against a good server: exit %s, messages %s: %s" % (status, folders_here(inner), err))
        finally:
            good.stop()
    made = outside(inner) + sorted(set(os.listdir(where)) - parent_before - {"account"} - {n for n in os.listdir(where) if n.startswith("port.")})
    if made:
        problems.append("written outside the maildir: %s" % made)
    for top, dirs, files in os.walk(os.path.join(inner, "mail")):
        for name in dirs + files:
            if any(c < " " for c in name) or name in ("..", "."):
                problems.append("a name with control characters or dots in the maildir: %r" % os.path.join(top, name))
    return problems, took


def scenario_folders(args, scenario, kept):
    """The scenario's folder, the account's inside it (made), and the one
    where the server keeps what it did (`kept`)."""
    where = os.path.join(args.work, scenario)
    os.makedirs(os.path.join(where, "account"))
    return where, os.path.join(where, "account"), os.path.join(where, kept)


def run_pop3(args, scenario):
    where, inner, deleted = scenario_folders(args, scenario, "deleted")
    expect, phrase, syncs, here_at_end, deleted_at_end = POP3[scenario]
    server = Server(args, scenario[len("pop3-"):], where, "hostile_pop3.py", "--deleted", deleted)
    port = server.port
    problems, took = [], 0.0
    try:
        cfg = os.path.join(inner, "config")
        with open(cfg, "w") as f:
            f.write('account p {\n    receive = pop3s://u@127.0.0.1:%d\n    password_command = "printf %%s x"\n    ca_file = %s\n'
                    '    maildir = %s/mail\n    leave_on_server = no\n    timeout = 3\n    connect_timeout = 5\n}\n' % (port, args.ca, inner))
        notes = ""
        for i in range(syncs):
            env = dict(os.environ, XDG_DATA_HOME=os.path.join(inner, "data"))
            started = time.monotonic()
            try:
                r = subprocess.run([args.tern, "-F", cfg, "sync", "--verbose"], env=env, capture_output=True, timeout=60)
                status, out, err = r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace").strip()
            except subprocess.TimeoutExpired:
                status, out, err = None, "", "did not end within 60 s"
            took = time.monotonic() - started
            notes += out + err
            wanted = "error" if expect == "error" or (expect == "error-then-ok" and i == 0) else "ok"
            if wanted == "ok" and status != 0:
                problems.append("sync %d: exit status %s: %s" % (i + 1, status, err[-300:]))
            if wanted == "error" and (status != 1 or len(err.splitlines()) != 1):
                problems.append("exit status %s, expected 1 and one line: %s" % (status, err[-300:]))
        if phrase and phrase.lower() not in notes.lower():
            problems.append("nothing says '%s': %s" % (phrase, notes[-300:]))
    finally:
        server.stop()
    here = []
    for sub in ("new", "cur"):
        d = os.path.join(inner, "mail", "INBOX", sub)
        if os.path.isdir(d):
            for name in os.listdir(d):
                with open(os.path.join(d, name), "rb") as f:
                    here.append(f.read())
    gone = []
    if os.path.isdir(deleted):
        for name in os.listdir(deleted):
            with open(os.path.join(deleted, name), "rb") as f:
                gone.append(f.read().replace(b"\r\n", b"\n"))
    for data in gone:
        if data not in here:
            problems.append("deleted on the server, not stored here: %r" % data[:60])
    if len(set(here)) != len(here):
        problems.append("a message is here twice")
    if len(here) != here_at_end or len(gone) != deleted_at_end:
        problems.append("%d messages here, %d deleted there; expected %d and %d" % (len(here), len(gone), here_at_end, deleted_at_end))
    return problems, took


def run_smtp(args, scenario):
    where, inner, accepted = scenario_folders(args, scenario, "accepted")
    status_wanted, phrase, took_by, sync_after = SMTP[scenario]
    server = Server(args, scenario[len("smtp-"):], where, "hostile_smtp.py", "--accepted", accepted)
    port = server.port
    problems, took = [], 0.0
    try:
        cfg = os.path.join(inner, "config")
        with open(cfg, "w") as f:  # receiving from a closed port: only the outbox matters here
            f.write('account s {\n    from = "Me <me@example.test>"\n    receive = pop3s://u@127.0.0.1:1\n'
                    '    send = smtps://u@127.0.0.1:%d\n    password_command = "printf %%s x"\n    ca_file = %s\n'
                    '    maildir = %s/mail\n    timeout = 3\n}\n' % (port, args.ca, inner))
        message = b"From: me@example.test\nTo: testuser@example.test\nCc: other@example.test\nSubject: hostile\n\nhello\n.a dot line\n"
        env = dict(os.environ, XDG_DATA_HOME=os.path.join(inner, "data"))
        started = time.monotonic()
        r = subprocess.run([args.tern, "-F", cfg, "send", "-a", "s", "-t"], input=message, env=env, capture_output=True, timeout=60)
        took = time.monotonic() - started
        err = r.stderr.decode(errors="replace").strip()
        if r.returncode not in status_wanted or phrase not in err or len(err.splitlines()) > 1:
            problems.append("tern send: exit status %d (expected %s), stderr: %s" % (r.returncode, status_wanted, err[-300:]))
        if sync_after:
            subprocess.run([args.tern, "-F", cfg, "sync"], env=env, capture_output=True, timeout=60)
    finally:
        server.stop()
    taken = []
    if os.path.isdir(accepted):
        for name in sorted(os.listdir(accepted)):
            with open(os.path.join(accepted, name)) as f:
                taken.append(json.load(f))
    if len(taken) != 1 or sorted(taken[0]["to"]) != sorted(took_by):
        problems.append("the server took %s, expected the message once for %s" % ([t["to"] for t in taken], took_by))
    elif "\r\n.a dot line\r\n" not in taken[0]["message"]:
        problems.append("the message arrived changed: %r" % taken[0]["message"][-80:])
    return problems, took


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tern", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("scenarios", nargs="*")
    args = ap.parse_args()
    if os.path.exists(args.work):
        shutil.rmtree(args.work)
    failed = 0
    for scenario in args.scenarios or list(EXPECT) + list(POP3) + list(SMTP):
        runner = run_pop3 if scenario in POP3 else run_smtp if scenario in SMTP else run
        problems, took = runner(args, scenario)
        if problems:
            failed += 1
            print("FAIL %s: %s" % (scenario, "; ".join(problems)))
        else:
            print("ok   %s (%.1f s)" % (scenario, took))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
