#!/usr/bin/env python3
"""Faults during a POP3 download with leave_on_server = no, against the real
Dovecot: a message leaves the server only after it is stored here, whatever
moment `tern sync` dies at (--fault kill) or however full the disk gets
(--fault full: enospc.c preloaded, the disk full after a random number of
bytes written; each such run ends with a short message that says so).

One session, from a seed that is printed: the server's INBOX of the user
"other" is emptied and filled (some messages twice, byte for byte: two
deliveries are two messages); then KILLS rounds of: new mail arrives,
`tern sync` starts and is killed with SIGKILL at a random moment of a window
of 0.1, 0.25, 0.5 or 1.2 times WINDOW (by default a complete first download,
measured first). Then two complete syncs, and the checker: every message
ever delivered is here exactly once (as many times as it was delivered),
byte for byte, and the server keeps none.

    kill_pop3.py --tern TERN --port IMAPS_PORT --pop3s POP3S_PORT --ca CA --work DIR --seed N [--kills K]
                 [--fault kill|full] [--window SECONDS_OR_BYTES]

Prints one line "seed N (FAULT, scale S): K runs ..., L lost, D duplicated, S
left on the server" and the problems; exits 1 on any.
"""
import collections
import os
import random
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sync_faults as faults  # noqa: E402  (the server client, the mail, the store, running tern, the checker)


def main():
    ap = faults.arguments(__doc__)  # --port: IMAPS, for filling the mailbox
    ap.add_argument("--pop3s", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--messages", type=int, default=300)
    ap.add_argument("--window", type=float)
    ap.add_argument("--fault", choices=("kill", "full"), default="kill",
                    help="full: no kill, the disk fills after a random number of bytes written (enospc.c)")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    receive = "pop3s://other@127.0.0.1:%d" % args.pop3s
    root, env, _ = faults.fresh_store(args, receive, "otherpass", "    leave_on_server = no\n")

    server = faults.Server(args.port, args.ca, "other", "otherpass")
    server.reset()
    mail = faults.Mail(rnd)
    delivered = collections.Counter()

    def deliver(count):
        for _ in range(count):
            data = mail.message("INBOX")
            for _ in range(2 if rnd.random() < 0.05 else 1):
                server.append("INBOX", data, [])
                delivered[faults.sha(data)] += 1

    deliver(args.messages)
    if args.window is None:
        # the whole first download, into a store of its own, with the server's copies kept: its
        # seconds (kill) or the bytes it writes (full)
        _, scratch = faults.store(args, os.path.join(args.work, "calibration"), receive, "otherpass")
        report = os.path.join(args.work, "written")
        started = time.monotonic()
        status, err = faults.run_sync(args, faults.shim_env(args, scratch, report=report) if args.fault == "full" else scratch)
        if status != 0:
            print("seed %d: the calibration sync failed (%s): %s" % (args.seed, status, err.strip()))
            return 1
        if args.fault == "full":
            with open(report) as f:
                args.window = int(f.read())
        else:
            args.window = round(time.monotonic() - started, 2)
        shutil.rmtree(os.path.join(args.work, "calibration"))

    finished, problems = 0, []
    for _ in range(args.kills):
        if rnd.random() < 0.6:
            deliver(rnd.randint(1, 30))
        if args.fault == "full":
            budget = rnd.randint(0, int(args.window * rnd.choice((0.1, 0.5, 1.2))))
            status, err = faults.run_sync(args, faults.shim_env(args, env, budget))
            if status == 1 and ("space" not in err and "full" not in err or len(err.strip().splitlines()) > 2):
                problems.append("disk full after %d bytes: not a short message that says so: %s" % (budget, err.strip()[-300:]))
            elif status not in (0, 1):
                problems.append("disk full after %d bytes: exit status %s: %s" % (budget, status, err.strip()[-300:]))
        else:
            status, err = faults.run_sync(args, env, kill_after=rnd.uniform(0.005, args.window * rnd.choice((0.1, 0.25, 0.5, 1.2))))
        if status == 0:
            finished += 1
        elif status is not None and args.fault == "kill":
            print("seed %d: a sync that was not killed failed (%s): %s" % (args.seed, status, err.strip()))
    for n in (1, 2):
        status, err = faults.run_sync(args, env)
        if status != 0:
            problems.append("complete sync %d failed (%s): %s" % (n, status, err.strip()))
    here = collections.Counter()
    for sub, name in faults.local_files(root, "INBOX"):
        with open(os.path.join(root, "INBOX", sub, name), "rb") as f:
            here[faults.sha(f.read())] += 1
    lost, duplicated = delivered - here, here - delivered
    left = len(server.contents("INBOX"))
    if lost:
        problems.append("%d delivered messages are not here" % sum(lost.values()))
    if duplicated:
        problems.append("%d messages are here more often than they were delivered" % sum(duplicated.values()))
    if left:
        problems.append("%d messages are still on the server (leave_on_server = no)" % left)
    print("seed %d (%s, scale %s): %d runs (%d finished first), %d delivered, %d lost, %d duplicated, %d left on the server"
          % (args.seed, args.fault, args.window, args.kills, finished, sum(delivered.values()), sum(lost.values()), sum(duplicated.values()), left))
    for p in problems:
        print("    " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
