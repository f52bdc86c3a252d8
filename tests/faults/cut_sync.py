#!/usr/bin/env python3
"""The connection cut mid-stream: `tern sync` against the real Dovecot
through a small TCP proxy of the test's own on loopback that drops both
sides after a random number of bytes (small ones land in the TLS
handshake, most in the middle of a message's literal). The same rounds as
the kill loop (tests/faults/kill_sync.py): new mail, flag changes,
deletions, moves, copies and saves between the runs; then two complete
syncs straight to the server, and the same checker.

Each cut run must end by itself (no hang), with exit status 1 and a short
message, or 0 when the cut came after the last byte it needed.

    cut_sync.py --tern TERN --port IMAPS_PORT --ca CA --work DIR --seed N [--cuts K]

Prints one line "seed N (bytes B): K cuts ..., L lost, D duplicated, ..." and
the problems; exits 1 on any.
"""
import argparse
import os
import random
import selectors
import shutil
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kill_sync  # noqa: E402


class CutProxy(threading.Thread):
    """Forwards 127.0.0.1:port to the server until `budget` bytes have gone
    either way in all, then closes both ends of every connection."""

    def __init__(self, target, budget=None):
        super().__init__(daemon=True)
        self.target, self.budget, self.passed = target, budget, 0
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.stop = False

    def run(self):
        sel = selectors.DefaultSelector()
        sel.register(self.listener, selectors.EVENT_READ, None)
        peers = {}
        while not self.stop:
            for key, _ in sel.select(timeout=0.1):
                if key.data is None:
                    client, _ = self.listener.accept()
                    server = socket.create_connection(("127.0.0.1", self.target))
                    peers[client], peers[server] = server, client
                    sel.register(client, selectors.EVENT_READ, "c")
                    sel.register(server, selectors.EVENT_READ, "s")
                    continue
                src = key.fileobj
                dst = peers.get(src)
                try:
                    data = src.recv(65536)
                except OSError:
                    data = b""
                if data and self.budget is not None:
                    data = data[: max(0, self.budget - self.passed)]
                if not data or dst is None:
                    for s in (src, dst):
                        if s is not None and s in peers:
                            sel.unregister(s)
                            peers.pop(s, None)
                            s.close()
                    continue
                try:
                    dst.sendall(data)
                except OSError:
                    pass
                self.passed += len(data)
                if self.budget is not None and self.passed >= self.budget:
                    for s in list(peers):  # the cut: both sides, every connection
                        sel.unregister(s)
                        s.close()
                    peers.clear()
        self.listener.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tern", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--cuts", type=int, default=15)
    ap.add_argument("--messages", type=int, default=200)
    ap.add_argument("--bytes", type=int, help="what a complete first sync moves (default: measured through the proxy)")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    if os.path.exists(args.work):
        shutil.rmtree(args.work)
    direct_root, direct_env = kill_sync.store(args, os.path.join(args.work, "store"))
    index_path = os.path.join(args.work, "store", "data", "tern", "index", "t.sqlite")
    server = kill_sync.Server(args.port, args.ca)
    server.reset()
    mail = kill_sync.Mail(rnd)
    kill_sync.deliver(server, mail, rnd, "INBOX", args.messages, 0)
    kill_sync.deliver(server, mail, rnd, "Projects", args.messages - 2 * (args.messages // 8), args.messages // 8)

    def through(proxy):
        """The store's environment with the account's server the proxy."""
        config = os.path.join(args.work, "proxied.config")
        with open(direct_env["TERN_CONFIG"]) as f:
            text = f.read()
        with open(config, "w") as f:
            f.write(text.replace("127.0.0.1:%d" % args.port, "127.0.0.1:%d" % proxy.port))
        return dict(direct_env, TERN_CONFIG=config)

    if args.bytes is None:
        scratch_root, scratch = kill_sync.store(args, os.path.join(args.work, "calibration"))
        proxy = CutProxy(args.port)
        proxy.start()
        config = os.path.join(args.work, "calibration", "config")
        with open(config) as f:
            text = f.read()
        with open(config, "w") as f:
            f.write(text.replace("127.0.0.1:%d" % args.port, "127.0.0.1:%d" % proxy.port))
        status, err = kill_sync.run_sync(args, scratch)
        proxy.stop = True
        proxy.join()
        if status != 0:
            print("seed %d: the calibration sync failed (%s): %s" % (args.seed, status, err.strip()))
            return 1
        args.bytes = proxy.passed
        shutil.rmtree(os.path.join(args.work, "calibration"))

    problems, intents = [], kill_sync.Intents()
    completed = changes = mail_changes = 0
    for _ in range(args.cuts):
        if rnd.random() < 0.5:
            folder = rnd.choice(kill_sync.FOLDERS)
            kill_sync.deliver(server, mail, rnd, folder, rnd.randint(1, 4), rnd.randint(0, 2) if folder == "Projects" else 0)
        changes += kill_sync.change_local_flags(direct_root, rnd)
        mail_changes += kill_sync.change_local_mail(direct_root, rnd, mail, index_path, intents)
        # small budgets end in the handshake, most in the middle of a literal
        budget = rnd.choice((rnd.randint(0, 6000), rnd.randint(0, args.bytes), rnd.randint(0, args.bytes // 4)))
        proxy = CutProxy(args.port, budget)
        proxy.start()
        status, err = kill_sync.run_sync(args, through(proxy))
        proxy.stop = True
        proxy.join()
        if status == 0:
            completed += 1
        elif status != 1:
            problems.append("cut after %d bytes: exit status %s (expected 1): %s" % (budget, status, err.strip()[-300:]))
        elif "Sanitizer" in err or "runtime error" in err or len(err.strip().splitlines()) > 3:
            problems.append("cut after %d bytes: not a short message: %s" % (budget, err.strip()[-300:]))
    snapshot = kill_sync.snapshot_flags(direct_root)
    for n in (1, 2):
        status, err = kill_sync.run_sync(args, direct_env)
        if status != 0:
            problems.append("complete sync %d failed (%s): %s" % (n, status, err.strip()))
    more, counts = kill_sync.check(server, direct_root, index_path, snapshot, intents)
    problems += more
    print("seed %d (bytes %d): %d cuts (%d completed first), %d local flag changes, %d deletions/moves/copies/saves, "
          "%d messages, %d lost, %d duplicated, %d wrongly mapped, %d flags differ, %d flag changes lost, %d changes lost"
          % (args.seed, args.bytes, args.cuts, completed, changes, mail_changes, counts["messages"], counts["lost"],
             counts["duplicated"], counts["wrong"], counts["flags differ"], counts["flag changes lost"], counts["changes lost"]))
    for p in problems[:20]:
        print("    " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
