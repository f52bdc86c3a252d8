#!/usr/bin/env python3
"""Kill loop for sending: `tern send` and the outbox drain of `tern sync`
killed at random moments while messages go to several recipients through
the real SMTP server of the harness (its spool keeps every message it took).

One session, from a seed that is printed: KILLS rounds of: a new message to
two recipients handed to `tern send -t` (killed at a random moment, or let
finish), and now and then a `tern sync` killed the same way. Then two
complete syncs, and the checker, per message and recipient, on what the
server took:
  - a message tern took (`tern send` exited 0, or it is in the outbox
    table after the kill) reaches each recipient;
  - one tern never took (killed before its outbox record) reaches nobody,
    or, when it was sent before the kill, everybody once;
  - nobody gets a message twice, but for the one window SMTP leaves open:
    the server took it during a run that was killed before tern could record
    that (then the earlier copy lies inside a killed run: counted apart);
  - the outbox is empty, and each message sent has a copy in Sent (extra
    copies, from a kill between keeping the copy and recording it, are
    counted apart).

    kill_send.py --tern TERN --port IMAPS_PORT --smtps SMTPS_PORT --ca CA --spool DIR --work DIR --seed N [--kills K]

Prints one line "seed N (window W s): K kills, ..., L lost, D sent twice" and
the problems; exits 1 on any.
"""
import collections
import email
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sync_faults as faults  # noqa: E402  (the server client, the mail, the store, running tern, the checker)

RECIPIENTS = ("testuser@localhost", "other@localhost")


def message(n, seed):
    mid = "<send-%d-%d-%d@faults.invalid>" % (seed, n, os.getpid())
    body = "\n".join("line %d of message %d" % (i, n) for i in range(1, 40))
    text = ("From: Test User <testuser@localhost>\nTo: %s\nCc: %s\nSubject: kill loop %d\nMessage-ID: %s\n\n%s\n"
            % (RECIPIENTS[0], RECIPIENTS[1], n, mid, body))
    return mid, text.encode()


def message_id_of(data):
    return (email.message_from_bytes(data).get("Message-ID") or "").strip()


def run(args, env, argv, stdin=None, kill_after=None):
    """(exit status or None when killed, start, end) in wall-clock seconds."""
    start = time.time()
    p = subprocess.Popen([args.tern, "-F", env["TERN_CONFIG"]] + argv, env=env, stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        p.communicate(input=stdin, timeout=kill_after if kill_after is not None else 300)
        return p.returncode, start, time.time()
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.communicate()
        return None, start, time.time()


def outbox_ids(root, index_path):
    """Message-IDs of the outbox table's entries (its files read)."""
    if not os.path.exists(index_path):
        return set()
    db = sqlite3.connect(index_path)
    try:
        files = [f for (f,) in db.execute("SELECT file FROM outbox")]
    except sqlite3.Error:
        files = []
    finally:
        db.close()
    ids = set()
    for f in files:
        try:
            with open(os.path.join(root, ".outbox", f), "rb") as fh:
                ids.add(message_id_of(fh.read()))
        except OSError:
            pass
    return ids


def main():
    ap = faults.arguments(__doc__)
    ap.add_argument("--smtps", type=int, required=True)
    ap.add_argument("--spool", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--window", type=float)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    root, env, index_path = faults.fresh_store(args, None, "testpass", "    send = smtps://testuser@127.0.0.1:%d\n" % args.smtps)
    spooled_before = set(os.listdir(args.spool)) if os.path.isdir(args.spool) else set()
    server = faults.Server(args.port, args.ca)
    server.reset()

    status, _, _ = run(args, env, ["sync"])  # the folders (Sent among them) are known before anything is sent
    if status != 0:
        print("seed %d: the first sync failed (%s)" % (args.seed, status))
        return 1
    taken, unsure, killed_runs = set(), set(), []
    if args.window is None:  # as long as one message takes to send here
        mid, data = message(0, args.seed)
        status, start, end = run(args, env, ["send", "-a", "t", "-t"], data)
        if status != 0:
            print("seed %d: the calibration send failed (%s)" % (args.seed, status))
            return 1
        args.window = round(end - start, 2)
        taken.add(mid)
    finished = 0
    for n in range(1, args.kills + 1):
        mid, data = message(n, args.seed)
        window = args.window * rnd.choice((0.25, 0.5, 1, 1.5))
        status, start, end = run(args, env, ["send", "-a", "t", "-t"], data, rnd.uniform(0.005, window))
        if status is None:
            killed_runs.append((start, end))
            (taken if mid in outbox_ids(root, index_path) else unsure).add(mid)
        else:
            finished += 1
            if status == 0:
                taken.add(mid)
            else:
                print("seed %d: tern send of message %d failed (%s) without being killed" % (args.seed, n, status))
                unsure.add(mid)
        if rnd.random() < 0.4:
            status, start, end = run(args, env, ["sync"], None, rnd.uniform(0.005, 3 * args.window))
            if status is None:
                killed_runs.append((start, end))
    problems = []
    for i in (1, 2):
        status, _, _ = run(args, env, ["sync"])
        if status != 0:
            problems.append("complete sync %d failed (%s)" % (i, status))
    if outbox_ids(root, index_path):
        problems.append("%d messages still in the outbox" % len(outbox_ids(root, index_path)))

    # what the server took: (Message-ID, recipient) -> spool times
    took = collections.defaultdict(list)
    for name in sorted(set(os.listdir(args.spool)) - spooled_before):
        if not name.endswith(".json"):
            continue
        base = os.path.join(args.spool, name[:-5])
        try:
            with open(base + ".eml", "rb") as f:
                mid = message_id_of(f.read())
            with open(base + ".json") as f:
                meta = json.load(f)
        except OSError:
            continue
        for rcpt in meta["rcpt_tos"]:
            took[(mid, rcpt)].append(os.stat(base + ".json").st_mtime)
    in_killed_run = lambda t: any(s - 0.01 <= t <= e + 0.01 for s, e in killed_runs)
    lost = twice = window_twice = 0
    for mid in sorted(taken | unsure):
        counts = [len(took[(mid, r)]) for r in RECIPIENTS]
        if mid in taken and min(counts) == 0:
            lost += 1
            problems.append("%s: taken by tern, never reached %s" % (mid, [r for r, c in zip(RECIPIENTS, counts) if c == 0]))
        if mid in unsure and len(set(counts)) != 1:
            problems.append("%s: not taken by tern, yet sent to some recipients only: %s" % (mid, counts))
        for r in RECIPIENTS:
            times = sorted(took[(mid, r)])
            for earlier in times[:-1]:
                if in_killed_run(earlier):
                    window_twice += 1
                else:
                    twice += 1
                    problems.append("%s: sent to %s twice, the first time by a run that was not killed" % (mid, r))
    # each message sent has its copy in Sent
    sent_copies = collections.Counter()
    for sub, name in faults.local_files(root, "Sent"):
        with open(os.path.join(root, "Sent", sub, name), "rb") as f:
            sent_copies[message_id_of(f.read())] += 1
    no_copy = extra_copies = 0
    for mid in sorted(taken | unsure):
        if any(took[(mid, r)] for r in RECIPIENTS):
            if sent_copies[mid] == 0:
                no_copy += 1
                problems.append("%s: sent, but no copy in Sent" % mid)
            extra_copies += max(0, sent_copies[mid] - 1)
    print("seed %d (window %.2f s): %d runs (%d finished first), %d taken, %d not taken before the kill, %d lost, "
          "%d sent twice, %d sent twice in the SMTP window, %d without a Sent copy, %d extra Sent copies"
          % (args.seed, args.window, args.kills, finished, len(taken), len(unsure), lost, twice, window_twice, no_copy, extra_copies))
    for p in problems[:20]:
        print("    " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
