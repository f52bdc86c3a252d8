#!/usr/bin/env python3
"""Messages that share a Message-ID, against the real Dovecot: the states a
killed sync leaves, made on purpose, each followed by a complete sync.

Projects holds pairs of different messages with one Message-ID: pairs of one
size (only their bytes tell them apart), pairs of two sizes, and pairs with
no Message-ID at all.
  rows   the index rows of Projects dropped (a sync killed between fetching
         files and recording them leaves exactly that): the files are taken
         as their own server messages, none fetched again, none swapped
  rebuild  tern sync --rebuild: the same, for every folder
  append   a file saved here that the server already has (an APPEND whose
         answer a kill lost) is taken as that one; its twin (same Message-ID
         and size, other bytes), also saved here, goes up as a message of its own
  copy     a message copied here into INBOX, copied on the server, and the
         copy's new UID lost as a kill right after the UID COPY loses it: it
         is not copied a second time
  index    the index database deleted, then damaged (garbage written over
         it), between two syncs: the next plain sync rebuilds it from the
         maildirs and the server, nothing fetched again or lost

    twins.py --tern TERN --port IMAPS_PORT --ca CA --work DIR

Prints a line per state and exits 1 when one is wrong.
"""
import os
import random
import shutil
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sync_faults as faults  # noqa: E402  (the server client, the mail, the store, running tern, the checker)


def twin_pair(n, same_size, message_id=True):
    """Two messages with one Message-ID (or none) and one Date; bodies of one
    length when same_size."""
    head = "From: Robot <robot@example.test>\nTo: testuser@localhost\nSubject: build report\n" \
           "Date: Mon, 30 Nov 2026 10:00:00 +0000\n"
    if message_id:
        head += "Message-ID: <build-%d@ci.example.test>\n" % n
    head += "\n"
    a = head + "build %04d passed\n" % n
    b = head + ("build %04d FAILED\n" % n if not same_size else "build %04d failed\n" % n)
    if not same_size:
        b += "see the log for details\n"
    return [a.encode(), b.encode()]


def files_count(root, folder):
    return len(faults.local_files(root, folder))


def main():
    args = faults.arguments(__doc__).parse_args()
    root, env, index_path = faults.fresh_store(args)
    server = faults.Server(args.port, args.ca)
    server.reset()
    rnd = random.Random(7)
    mail = faults.Mail(rnd)
    for n in range(12):
        for data in twin_pair(n, same_size=n % 3 != 0, message_id=n % 4 != 3):
            server.append("Projects", data, ["\\Seen"] if n % 2 else [])
    faults.deliver(server, mail, rnd, "INBOX", 20, 0)
    failures = 0

    def complete(what, *extra):
        nonlocal failures
        status, err = faults.run_sync(args, dict(env), None) if not extra else run(extra)
        problems, counts = faults.check(server, root, index_path, faults.snapshot_flags(root))
        if status != 0:
            problems.insert(0, "sync failed (%s): %s" % (status, err.strip()))
        print("%s: %d messages, %d lost, %d duplicated, %d wrongly mapped" % (what, counts["messages"], counts["lost"],
                                                                             counts["duplicated"], counts["wrong"]))
        for p in problems[:10]:
            print("    " + p)
        failures += bool(problems)

    def run(extra):
        import subprocess
        p = subprocess.run([args.tern, "-F", env["TERN_CONFIG"], "sync"] + list(extra), env=env, capture_output=True, timeout=300)
        return p.returncode, p.stderr.decode(errors="replace")

    complete("first sync")
    before = files_count(root, "Projects")

    # rows: what a kill between the delivery of a batch and its record leaves
    db = sqlite3.connect(index_path)
    db.execute("DELETE FROM messages WHERE folder_id = (SELECT id FROM folders WHERE name = 'Projects')")
    db.execute("UPDATE folders SET scan_stamp = '' WHERE name = 'Projects'")
    db.commit()
    db.close()
    complete("rows lost")
    if files_count(root, "Projects") != before:
        print("    rows lost: %d files in Projects, %d before" % (files_count(root, "Projects"), before))
        failures += 1

    complete("rebuild", "--rebuild")
    if files_count(root, "Projects") != before:
        print("    rebuild: %d files in Projects, %d before" % (files_count(root, "Projects"), before))
        failures += 1

    # append: one twin is on the server already (its APPEND's answer lost), the other is not
    a, b = twin_pair(99, same_size=True)
    server.append("Projects", a, ["\\Seen"])
    for i, data in enumerate((a, b)):
        with open(os.path.join(root, "Projects", "cur", "1700000000.M%dP1.saved:2,S" % i), "wb") as f:
            f.write(data)
    complete("saved here, one already there")
    uids = [u for u, (digest, _) in server.contents("Projects").items() if digest in (faults.sha(a), faults.sha(b))]
    if len(uids) != 2:
        print("    saved here: the two twins are %d messages on the server, not 2" % len(uids))
        failures += 1

    # copy: the UID COPY went out, its answer was never recorded
    inbox = server.contents("INBOX")
    src = next(n for s, n in faults.local_files(root, "Projects") if s == "cur")
    with open(os.path.join(root, "Projects", "cur", src), "rb") as f:
        digest = faults.sha(f.read())
    shutil.copyfile(os.path.join(root, "Projects", "cur", src), os.path.join(root, "INBOX", "cur", "1700000001.M1P1.copy:2,S"))
    complete("copied here")
    db = sqlite3.connect(index_path)
    changed = db.execute("UPDATE messages SET uid = NULL, uidvalidity = NULL, server_flags = NULL WHERE maildir_key = ?"
                         " AND folder_id = (SELECT id FROM folders WHERE name = 'INBOX')", ("1700000001.M1P1.copy",)).rowcount
    db.execute("UPDATE folders SET scan_stamp = '' WHERE name = 'INBOX'")
    db.commit()
    db.close()
    if changed != 1:
        print("    copy: the copy here was not recorded as the server's")
        failures += 1
    complete("copy's UID lost")
    there = sum(1 for d, _ in server.contents("INBOX").values() if d == digest)
    if there != 1 or len(server.contents("INBOX")) != len(inbox) + 1:
        print("    copy: %d copies in INBOX on the server, expected 1" % there)
        failures += 1

    # index: deleted, then damaged, between two syncs
    total = sum(files_count(root, f) for f in faults.CHECKED)
    for what in ("index deleted", "index damaged"):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(index_path + suffix):
                os.unlink(index_path + suffix)
        if what == "index damaged":
            with open(index_path, "wb") as f:
                f.write(b"this is not a database, whatever wrote it" * 100)
        complete(what)
        if sum(files_count(root, f) for f in faults.CHECKED) != total:
            print("    %s: %d files here, %d before" % (what, sum(files_count(root, f) for f in faults.CHECKED), total))
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
