#!/usr/bin/env python3
"""Faults during `tern sync` against a real Dovecot, and the promise
"nothing is lost, nothing is duplicated, flags converge" as a figure.

One session, from a seed that is printed so a failure replays:
  - the server's INBOX and Trash are emptied and Projects made anew, with a
    few hundred messages each; Projects holds pairs of DIFFERENT messages
    that share one Message-ID (two deliveries generated in the same second);
  - a fresh local store; then RUNS rounds of: new mail arrives on the server
    (sometimes another such pair), flags change in the local maildir the way
    mutt changes them (a file in cur/ renamed to add or remove F, a file in
    new/ moved to cur/ as read), messages are deleted (a file removed),
    moved (a file renamed into the other folder), copied (under a name of
    its own) and saved (a new file), and `tern sync` runs under the fault:
      kill   SIGKILL at a random moment of a window of 0.1, 0.25, 0.5 or 1.2
             times the scale (a complete first sync's seconds);
      cut    through a loopback proxy (cut_proxy.py) that drops the
             connection after a random number of bytes (of 0-6000: the TLS
             handshake and login; of up to the scale or a quarter of it),
             or, one time in four, stalls it there (timeout 2 s);
      full   with a full disk after a random number of bytes written
             (enospc.c preloaded; the same budgets);
      meddle the same changes to the maildirs made again while the sync
             runs (as mutt or mv would), at a random moment (a file moved
             after the sync's pass over moves may also leave a copy in
             the Trash: nothing is lost);
    a cut or full run must end by itself with exit status 1 and a short
    message (for a full disk, one that says so), or 0;
  - then two complete syncs, and the checker:
      * every server message is in its local folder exactly once, byte for
        byte, with the server's flags, and nothing else is there;
      * every local file as the loop left it is still there with its flags:
        only the maildir side changed flags, so each local change wins;
      * the index maps each server UID to the one local file that holds that
        UID's bytes (a file taken for the other message of a pair would send
        its flag changes to the wrong message);
      * each deletion, move, copy and save made here is on the server: a
        deleted message gone from its folder and in the Trash, a moved one
        in its new folder only, a copy in both, a saved one once.
    Deletions and moves touch only files the index had recorded (a file a
    killed fetch left unrecorded cannot be told from mail of another
    program's, and comes back when deleted).

    sync_faults.py --tern TERN --port IMAPS_PORT --ca CA --work DIR --seed N [--fault kill|cut|full] [--runs K] [--scale S]

The seed, the fault and the scale (printed) replay a session. Prints one
line "seed N (FAULT, scale S): K runs (R finished first), ..., L lost, D
duplicated, X wrongly mapped, ..." and the problems; exits 1 on any.
"""
import argparse
import collections
import hashlib
import imaplib
import os
import random
import re
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import time

import cut_proxy

FOLDERS = ("INBOX", "Projects")
CHECKED = FOLDERS + ("Trash",)  # deletions here end in the Trash, there and here
IMAP_TO_LETTER = {"\\Seen": "S", "\\Answered": "R", "\\Flagged": "F", "\\Deleted": "T", "\\Draft": "D"}
WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi".split()


def sha(data):
    return hashlib.sha256(data).hexdigest()


class Server:
    """The other side, spoken to with Python's imaplib (not tern's code)."""

    def __init__(self, port, ca, user="testuser", password="testpass"):
        context = ssl.create_default_context(cafile=ca)
        context.check_hostname = False
        self.m = imaplib.IMAP4_SSL("127.0.0.1", port, ssl_context=context, timeout=60)
        self.m.login(user, password)

    def reset(self):
        """INBOX and Trash emptied; Projects made anew (a new UIDVALIDITY)."""
        for folder in ("Trash", "INBOX"):
            typ, data = self.m.select(folder)
            if typ == "OK" and int(data[0]) > 0:
                self.m.store("1:*", "+FLAGS.SILENT", "(\\Deleted)")
                self.m.expunge()
        self.m.select("INBOX")  # leave Projects unselected before deleting it
        self.m.delete("Projects")
        self.m.create("Projects")

    def append(self, folder, data, flags):
        typ, _ = self.m.append(folder, "(" + " ".join(flags) + ")", None, data.replace(b"\n", b"\r\n"))
        if typ != "OK":
            raise RuntimeError("APPEND to %s failed" % folder)

    def contents(self, folder):
        """{uid: (sha of the LF bytes, maildir flag letters)}"""
        typ, _ = self.m.select(folder, readonly=True)
        if typ != "OK":
            raise RuntimeError("SELECT %s failed" % folder)
        typ, data = self.m.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[])")
        out = {}
        for item in data:
            if not isinstance(item, tuple):
                continue
            head = item[0].decode()
            uid = int(re.search(r"UID (\d+)", head).group(1))
            flags = re.search(r"FLAGS \(([^)]*)\)", head).group(1).split()
            letters = "".join(sorted(IMAP_TO_LETTER[f] for f in flags if f in IMAP_TO_LETTER))
            out[uid] = (sha(item[1].replace(b"\r\n", b"\n")), letters)
        return out


class Mail:
    """Messages of their own, each different; pairs share a Message-ID."""

    def __init__(self, rnd):
        self.rnd, self.n = rnd, 0

    def message(self, folder, message_id=None, date=None):
        self.n += 1
        rnd = self.rnd
        message_id = message_id or "<kill-%d-%d@faults.invalid>" % (os.getpid(), self.n)
        date = date or time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(time.time() - rnd.randint(0, 10**6)))
        body = "\n".join(" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(4, 14))) for _ in range(rnd.randint(3, 80)))
        text = ("From: Sender %d <sender%d@example.test>\nTo: testuser@localhost\nSubject: %s message %d\n"
                "Date: %s\nMessage-ID: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n%s\n"
                % (self.n % 13, self.n % 13, folder, self.n, date, message_id, body))
        return text.encode()

    def pair(self, folder):
        """Two deliveries of one generator in the same second: one Message-ID,
        one Date, different bodies (often of one size)."""
        message_id = "<twin-%d-%d@faults.invalid>" % (os.getpid(), self.n)
        date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
        return [self.message(folder, message_id, date), self.message(folder, message_id, date)]

    def flags(self):
        flags = []
        if self.rnd.random() < 0.6:
            flags.append("\\Seen")
        if self.rnd.random() < 0.15:
            flags.append("\\Flagged")
        return flags


def deliver(server, mail, rnd, folder, count, pairs):
    for _ in range(count):
        server.append(folder, mail.message(folder), mail.flags())
    for _ in range(pairs):
        for data in mail.pair(folder):
            server.append(folder, data, mail.flags())


def local_files(root, folder):
    """[(subdir, name)] of a local maildir folder."""
    out = []
    for sub in ("cur", "new"):
        d = os.path.join(root, folder, sub)
        if os.path.isdir(d):
            out += [(sub, n) for n in os.listdir(d) if not n.startswith(".")]
    return out


def split_name(name):
    key, _, flags = name.partition(":2,")
    return key, "".join(sorted(c for c in flags if c.isupper()))


def change_local_flags(root, rnd):
    """What a mutt user does between two syncs: F toggled on a few read
    messages, a few new ones read (new/ -> cur/ with S)."""
    changed = 0
    for folder in FOLDERS:
        files = local_files(root, folder)
        rnd.shuffle(files)
        for sub, name in files[: rnd.randint(0, 8)]:
            key, flags = split_name(name)
            if sub == "new":
                new_name, new_sub = key + ":2,S", "cur"
            else:
                flags = flags.replace("F", "") if "F" in flags else "".join(sorted(flags + "F"))
                new_name, new_sub = key + ":2," + flags, "cur"
            try:
                os.rename(os.path.join(root, folder, sub, name), os.path.join(root, folder, new_sub, new_name))
                changed += 1
            except FileNotFoundError:
                pass
    return changed


def recorded(index_path):
    """{(folder, maildir key)} of the files the index maps to a server
    message: what a user has seen tern sync (a file a killed fetch left
    unrecorded is fetched again when deleted, as tern cannot tell it was
    the server's)."""
    if not os.path.exists(index_path):
        return set()
    db = sqlite3.connect(index_path)
    try:
        return set(db.execute("SELECT f.name, m.maildir_key FROM messages m JOIN folders f ON m.folder_id = f.id"
                              " WHERE m.uid IS NOT NULL").fetchall())
    except sqlite3.Error:
        return set()
    finally:
        db.close()


class Intents:
    """What the user did here that the server must end up with, per message
    (by its bytes): each message takes part in one such change at most."""

    def __init__(self):
        self.touched = set()
        self.expected = []  # (what, sha, {folder: count})

    def read(self, root, folder, sub, name):
        with open(os.path.join(root, folder, sub, name), "rb") as f:
            return sha(f.read())


def change_local_mail(root, rnd, mail, index_path, intents):
    """Deletions, moves, copies and saves, the way mutt (or mv and cp) makes
    them in the maildirs between two syncs."""
    done = 0
    known = recorded(index_path)
    for folder in FOLDERS:
        other = FOLDERS[1 - FOLDERS.index(folder)]
        files = [(sub, n) for sub, n in local_files(root, folder) if (folder, split_name(n)[0]) in known]
        rnd.shuffle(files)
        for sub, name in files[: rnd.randint(0, 3)]:
            digest = intents.read(root, folder, sub, name)
            if digest in intents.touched:
                continue
            intents.touched.add(digest)
            action = rnd.choice(("delete", "delete", "move", "copy"))
            path = os.path.join(root, folder, sub, name)
            if action == "delete":  # mutt's expunge
                os.unlink(path)
                intents.expected.append(("deleted from " + folder, digest, {folder: 0, "Trash": 1}))
            elif action == "move" and os.path.isdir(os.path.join(root, other, sub)):  # mv between maildirs keeps the name
                os.rename(path, os.path.join(root, other, sub, name))
                intents.expected.append(("moved %s -> %s" % (folder, other), digest, {folder: 0, other: 1, "Trash": 0}))
            elif os.path.isdir(os.path.join(root, other, "cur")):  # a copy under a name of its own
                shutil.copyfile(path, os.path.join(root, other, "cur", "%d.M%dP1.copy:2,S" % (time.time(), rnd.randint(0, 10**9))))
                intents.expected.append(("copied %s -> %s" % (folder, other), digest, {folder: 1, other: 1}))
            else:
                continue
            done += 1
        if rnd.random() < 0.3 and os.path.isdir(os.path.join(root, folder, "cur")):  # mutt's save of a new message
            data = mail.message(folder)
            with open(os.path.join(root, folder, "cur", "%d.M%dP1.saved:2,S" % (time.time(), rnd.randint(0, 10**9))), "wb") as f:
                f.write(data)
            intents.touched.add(sha(data))
            intents.expected.append(("saved in " + folder, sha(data), {folder: 1}))
            done += 1
    return done


def run_sync(args, env, kill_after=None):
    """tern sync; killed with SIGKILL after kill_after seconds (when still
    running). Returns (exit status or None when killed, stderr)."""
    p = subprocess.Popen([args.tern, "-F", env["TERN_CONFIG"], "sync"], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    if kill_after is None:
        try:
            _, err = p.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
            return -1, err.decode(errors="replace") + " (timed out)"
        return p.returncode, err.decode(errors="replace")
    try:
        _, err = p.communicate(timeout=kill_after)
        return p.returncode, err.decode(errors="replace")
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.communicate()
        return None, ""


def check(server, root, index_path, snapshot, intents=None):
    """The problems, and the counts (messages, lost, duplicated, wrong, flags lost)."""
    problems = []
    counts = collections.Counter()
    db = sqlite3.connect(index_path)
    contents = {}
    for folder in CHECKED:
        theirs = contents[folder] = server.contents(folder)
        counts["messages"] += len(theirs)
        ours = collections.Counter()
        by_key = {}
        for sub, name in local_files(root, folder):
            with open(os.path.join(root, folder, sub, name), "rb") as f:
                digest = sha(f.read())
            key, flags = split_name(name)
            ours[(digest, flags)] += 1
            by_key[key] = (sub + "/" + name, digest, flags)
        expected = collections.Counter(theirs.values())
        lost, extra = expected - ours, ours - expected
        # a message present on both sides with other flags is not lost: it counts as a flag difference
        lost_digests = collections.Counter(d for d, _ in lost.elements())
        extra_digests = collections.Counter(d for d, _ in extra.elements())
        flag_only = lost_digests & extra_digests
        counts["lost"] += sum((lost_digests - flag_only).values())
        counts["duplicated"] += sum((extra_digests - flag_only).values())
        counts["flags differ"] += sum(flag_only.values())
        if lost or extra:
            problems.append("%s: %d only on the server, %d only here (%d of them the same bytes with other flags)"
                            % (folder, sum(lost.values()), sum(extra.values()), sum(flag_only.values())))
        # each local file of the loop's end is still there, with the flags the loop left
        for key, flags in snapshot.get(folder, {}).items():
            now = by_key.get(key)
            if now is None:
                counts["files gone"] += 1
                problems.append("%s: the file %s is gone" % (folder, key))
            elif now[2] != flags:
                counts["flag changes lost"] += 1
                problems.append("%s: %s had flags '%s' here, now '%s'" % (folder, key, flags, now[2]))
        # the index's UID -> file map
        rows = db.execute("SELECT m.uid, m.file FROM messages m JOIN folders f ON m.folder_id = f.id"
                          " WHERE f.name = ? AND m.uid IS NOT NULL", (folder,)).fetchall()
        seen = collections.Counter(uid for uid, _ in rows)
        for uid, file in rows:
            key = split_name(os.path.basename(file))[0]
            digest = by_key.get(key, (None, None))[1]
            if uid not in theirs:
                problems.append("%s: the index maps UID %d, which the server does not have" % (folder, uid))
                counts["wrong"] += 1
            elif digest != theirs[uid][0]:
                problems.append("%s: UID %d is mapped to %s, which holds other bytes" % (folder, uid, file))
                counts["wrong"] += 1
        for uid in theirs:
            if seen[uid] != 1:
                problems.append("%s: UID %d is mapped %d times" % (folder, uid, seen[uid]))
                counts["wrong"] += 1
    db.close()
    # what was done here reached the server
    for what, digest, where in (intents.expected if intents else []):
        for folder, count in where.items():
            if count is None:
                continue  # either way is right
            there = sum(1 for d, _ in contents[folder].values() if d == digest)
            if there != count:
                counts["changes lost"] += 1
                problems.append("%s: %d in %s on the server, expected %d" % (what, there, folder, count))
    return problems, counts


def snapshot_flags(root):
    return {folder: {split_name(name)[0]: split_name(name)[1] for _, name in local_files(root, folder)} for folder in CHECKED}


def arguments(description):
    """A parser with what every fault script takes: the tern binary, the
    harness's IMAPS port and CA, and a work folder of its own."""
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tern", required=True)
    ap.add_argument("--port", type=int, required=True, help="the IMAPS port of the harness's Dovecot")
    ap.add_argument("--ca", required=True)
    ap.add_argument("--work", required=True)
    return ap


def fresh_store(args, receive=None, password="testpass", extra=""):
    """The work folder emptied, and a store in it (store()): its maildir
    root, tern's environment and the index database's path."""
    if os.path.exists(args.work):
        shutil.rmtree(args.work)
    os.makedirs(args.work)
    root, env = store(args, os.path.join(args.work, "store"), receive, password, extra)
    return root, env, os.path.join(args.work, "store", "data", "tern", "index", "t.sqlite")


def store(args, where, receive=None, password="testpass", extra=""):
    """A local store of its own (maildir root, index, config): its root and
    the environment tern runs in. The account receives from the IMAPS port
    of the arguments unless `receive` says otherwise."""
    root = os.path.join(where, "mail")
    os.makedirs(os.path.join(where, "data"))
    config = os.path.join(where, "config")
    receive = receive or "imaps://testuser@127.0.0.1:%d" % args.port
    with open(config, "w") as f:
        f.write('account t {\n    from = "Test User <testuser@localhost>"\n    receive = %s\n'
                '    password_command = "printf %%s %s"\n    ca_file = %s\n    maildir = %s\n%s}\n'
                % (receive, password, args.ca, root, extra))
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(where, "data"), TERN_CONFIG=config)
    env.pop("XDG_CONFIG_HOME", None)
    return root, env


def shim_env(args, env, budget=None, report=None):
    """The environment of a run whose disk fills after `budget` bytes
    (tests/faults/enospc.c, built once into the work folder)."""
    shim = os.path.join(args.work, "enospc.so")
    if not os.path.exists(shim):
        source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "enospc.c")
        subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-o", shim, source, "-ldl"], check=True)
    out = dict(env, LD_PRELOAD=shim)
    # the sanitizer build wants its runtime first; the shim only wraps write()s
    out["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0").lstrip(":")
    if budget is not None:
        out["ENOSPC_AFTER"] = str(budget)
    if report is not None:
        out["ENOSPC_REPORT"] = report
    return out


def proxied_env(args, env, proxy, name):
    """The environment of a run whose account reaches the server through
    `proxy`, with short timeouts (a stalled connection is given up in 2 s)."""
    config = os.path.join(args.work, name)
    with open(env["TERN_CONFIG"]) as f:
        text = f.read()
    text = text.replace("127.0.0.1:%d" % args.port, "127.0.0.1:%d" % proxy.port)
    with open(config, "w") as f:
        f.write(text.replace("\n}\n", "\n    timeout = 2\n    connect_timeout = 3\n}\n"))
    return dict(env, TERN_CONFIG=config)


def calibrate(args, fault):
    """How big a complete first sync of the folders is here, in the fault's
    unit: seconds (kill), bytes through the connection (cut), bytes written
    (full); in a store of its own."""
    where = os.path.join(args.work, "calibration")
    _, env = store(args, where)
    started = time.monotonic()
    if fault == "cut":
        proxy = cut_proxy.CutProxy(args.port)
        proxy.start()
        status, err = run_sync(args, proxied_env(args, env, proxy, "calibration.config"))
        proxy.stop = True
        proxy.join()
        scale = proxy.passed
    elif fault == "full":
        report = os.path.join(args.work, "written")
        status, err = run_sync(args, shim_env(args, env, report=report))
        with open(report) as f:
            scale = int(f.read())
    else:
        status, err = run_sync(args, env)
        scale = round(time.monotonic() - started, 2)
    shutil.rmtree(where)
    if status != 0:
        raise RuntimeError("the calibration sync failed (%s): %s" % (status, err.strip()))
    return scale


def faulty_sync(args, env, rnd, fault, scale, meddle=None):
    """One tern sync under the fault, at a point drawn from the seed alone:
    (exit status or None when killed, stderr, what the fault was). `meddle`
    changes the maildirs (fault meddle: while the sync runs)."""
    if fault == "meddle":
        after = rnd.uniform(0.0, scale * rnd.choice((0.1, 0.25, 0.5, 1.0)))
        p = subprocess.Popen([args.tern, "-F", env["TERN_CONFIG"], "sync"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(after)
        meddle()
        _, err = p.communicate(timeout=300)
        return p.returncode, err.decode(errors="replace"), "the maildirs changed %.3f s into the sync" % after
    if fault == "kill":
        # anywhere in a window of a fraction of a complete first sync: re-syncs are much shorter
        after = rnd.uniform(0.005, scale * rnd.choice((0.1, 0.25, 0.5, 1.2)))
        status, err = run_sync(args, env, kill_after=after)
        return status, err, "killed after %.3f s" % after
    budget = rnd.choice((rnd.randint(0, 6000), rnd.randint(0, int(scale)), rnd.randint(0, int(scale) // 4)))
    if fault == "cut":  # small budgets end in the TLS handshake, most in a literal; one in four stalls
        stall = rnd.random() < 0.25
        proxy = cut_proxy.CutProxy(args.port, budget, stall)
        proxy.start()
        status, err = run_sync(args, proxied_env(args, env, proxy, "proxied.config"))
        proxy.stop = True
        proxy.join()
        return status, err, "%s after %d bytes" % ("stalled" if stall else "cut", budget)
    status, err = run_sync(args, shim_env(args, env, budget))
    return status, err, "disk full after %d bytes" % budget


def main():
    ap = arguments(__doc__)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--fault", choices=("kill", "cut", "full", "meddle"), default="kill")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--messages", type=int, default=200, help="per folder at the start")
    ap.add_argument("--scale", type=float, help="seconds (kill), bytes through the connection (cut) or bytes written"
                    " (full) of a complete first sync; default: measured before the loop")
    args = ap.parse_args()
    rnd = random.Random(args.seed)

    root, env, index_path = fresh_store(args)

    server = Server(args.port, args.ca)
    server.reset()
    mail = Mail(rnd)
    deliver(server, mail, rnd, "INBOX", args.messages, 0)
    deliver(server, mail, rnd, "Projects", args.messages - 2 * (args.messages // 8), args.messages // 8)
    if args.scale is None:
        try:
            args.scale = calibrate(args, args.fault)
        except RuntimeError as e:
            print("seed %d: %s" % (args.seed, e))
            return 1

    problems = []
    finished, changes, mail_changes, intents = 0, 0, 0, Intents()
    for _ in range(args.runs):
        if rnd.random() < 0.5:
            folder = rnd.choice(FOLDERS)
            deliver(server, mail, rnd, folder, rnd.randint(1, 4), rnd.randint(0, 2) if folder == "Projects" else 0)
        changes += change_local_flags(root, rnd)
        mail_changes += change_local_mail(root, rnd, mail, index_path, intents)
        def meddle():
            nonlocal changes, mail_changes
            changes += change_local_flags(root, rnd)
            mail_changes += change_local_mail(root, rnd, mail, index_path, intents)
        status, err, what = faulty_sync(args, env, rnd, args.fault, args.scale, meddle)
        if status == 0:
            finished += 1
        elif status is None:
            pass  # killed
        elif status != 1 or args.fault in ("kill", "meddle"):  # mutt at work beside a sync is no failure
            problems.append("%s: exit status %s: %s" % (what, status, err.strip()[-300:]))
        elif "Sanitizer" in err or "runtime error" in err or len(err.strip().splitlines()) > 2:
            problems.append("%s: not a short message: %s" % (what, err.strip()[-300:]))
        elif args.fault == "full" and "space" not in err and "full" not in err:
            problems.append("%s: the message does not say the disk is full: %s" % (what, err.strip()))
    if args.fault == "meddle":
        # a file moved while a sync runs, after its pass over moves, is a deletion there and a new
        # message here for that sync: nothing is lost, but a copy may land in the Trash
        for i, (what, digest, where) in enumerate(intents.expected):
            if what.startswith("moved"):
                intents.expected[i] = (what, digest, dict(where, Trash=None))
    snapshot = snapshot_flags(root)
    for n in (1, 2):
        status, err = run_sync(args, env)
        if status != 0:
            problems.append("complete sync %d failed (%s): %s" % (n, status, err.strip()))
    more, counts = check(server, root, index_path, snapshot, intents)
    problems += more
    unit = "%.2f s" % args.scale if args.fault in ("kill", "meddle") else "%d bytes" % args.scale
    print("seed %d (%s, scale %s): %d runs (%d finished first), %d local flag changes, %d deletions/moves/copies/saves, "
          "%d messages, %d lost, %d duplicated, %d wrongly mapped, %d flags differ, %d flag changes lost, %d files gone, "
          "%d changes lost"
          % (args.seed, args.fault, unit, args.runs, finished, changes, mail_changes, counts["messages"], counts["lost"],
             counts["duplicated"], counts["wrong"], counts["flags differ"], counts["flag changes lost"], counts["files gone"],
             counts["changes lost"]))
    for p in problems[:20]:
        print("    " + p)
    if len(problems) > 20:
        print("    ... and %d more" % (len(problems) - 20))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
