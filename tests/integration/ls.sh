# tern ls: the index lines of a cached folder, offline, from the maildir and
# the index database; changes by other programs show on the next run.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP/ls
rm -rf "$T"; mkdir -p "$T/mail/INBOX/cur" "$T/mail/INBOX/new" "$T/mail/INBOX/tmp" "$T/data"
export XDG_DATA_HOME=$T/data TZ=UTC
CFG=$T/config
cat > "$CFG" <<CONF
set sort = threads
account local {
    receive = imaps://u@127.0.0.1:1
    maildir = $T/mail
}
CONF
put() {  # put NAME FLAGS: a message file in cur/
  cat > "$T/mail/INBOX/cur/$1:2,$2"
}
put 1000.a.host S <<'MSG'
From: Alice Example <alice@example.com>
Subject: Plan for the week
Date: Mon, 2 Mar 2026 09:00:00 +0000
Message-ID: <plan@example.com>

Plan.
MSG
put 1001.b.host FS <<'MSG'
From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <j@example.de>
Subject: Re: Plan for the week
Date: Mon, 2 Mar 2026 10:00:00 +0000
Message-ID: <reply1@example.de>
In-Reply-To: <plan@example.com>
References: <plan@example.com>

Ok.
MSG
put 1002.c.host "" <<'MSG'
From: bob@example.org
Subject: Re: Plan for the week
Date: Mon, 2 Mar 2026 11:00:00 +0000
Message-ID: <reply2@example.org>
References: <plan@example.com> <reply1@example.de>

Fine.
MSG
put 1003.d.host RS <<'MSG'
From: Carol <carol@example.net>
Subject: Lunch
Date: Sun, 1 Mar 2026 12:00:00 +0000
Message-ID: <lunch@example.net>
Content-Type: multipart/mixed; boundary=x

--x--
MSG

begin "ls prints threaded index lines with flags, date, author, size and tree"
run_tern -F "$CFG" ls
expect_rc 0
expected="   1 r + Mar 01 Carol           ( 165) Lunch
   2     Mar 02 Alice Example   ( 142) Plan for the week
   3  !  Mar 02 Jörg Müller     ( 223) └─>Re: Plan for the week
   4 N   Mar 02 bob@example.org ( 181)   └─>Re: Plan for the week"
[ "$OUT" = "$expected" ] || bad "index lines differ:
$OUT"
end

begin "ls sorts by the config's sort (reverse-date)"
sed -i 's/set sort = threads/set sort = reverse-date/' "$CFG"
run_tern -F "$CFG" ls
expect_rc 0
[ "$(printf '%s\n' "$OUT" | head -1)" = "   1 N   Mar 02 bob@example.org ( 181) Re: Plan for the week" ] || bad "first line: $(printf '%s\n' "$OUT" | head -1)"
[ "$(printf '%s\n' "$OUT" | tail -1)" = "   4 r + Mar 01 Carol           ( 165) Lunch" ] || bad "last line: $(printf '%s\n' "$OUT" | tail -1)"
sed -i 's/set sort = reverse-date/set sort = threads/' "$CFG"
end

begin "another program's flag change, new file and removal show on the next ls"
mv "$T/mail/INBOX/cur/1002.c.host:2," "$T/mail/INBOX/cur/1002.c.host:2,S"
rm "$T/mail/INBOX/cur/1003.d.host:2,RS"
printf 'From: new@example.org\nSubject: Fresh\nDate: Tue, 3 Mar 2026 08:00:00 +0000\n\nx\n' > "$T/mail/INBOX/new/1004.e.host"
run_tern -F "$CFG" ls
expect_rc 0
expect_out "   3     Mar 02 bob@example.org"
expect_out_not "Lunch"
expect_out "N   Mar 03 new@example.org ("
expect_out_lines 4
end

begin "the index database is private (0600 in a 0700 folder)"
db=$T/data/tern/index/local.sqlite
[ "$(stat -c %a "$db")" = 600 ] || bad "database mode $(stat -c %a "$db")"
[ "$(stat -c %a "$T/data/tern/index")" = 700 ] || bad "folder mode $(stat -c %a "$T/data/tern/index")"
end

begin "ls of a folder that is not cached says what to do"
run_tern -F "$CFG" ls Archive
expect_rc 1
expect_err "no cached folder 'Archive' for account local"
expect_err "run tern sync first"
end

begin "a damaged index database is rebuilt, not a crash"
printf 'this is not a database' > "$db"
rm -f "$db-wal" "$db-shm"
run_tern -F "$CFG" ls
expect_rc 0
expect_out_lines 4
expect_err "the index database was damaged; it was moved to $db.damaged"
[ -f "$db.damaged" ] || bad "the damaged file was not kept"
end

begin "ls -l limits by a mutt pattern, the body included"
run_tern -F "$CFG" ls -l '~f jörg | ~b fine'
expect_rc 0
expect_out "Jörg Müller"
expect_out "bob@example.org"
expect_out_not "Alice"
expect_out_lines 2
run_tern -F "$CFG" ls -l '~h "message-id: <reply2@"'
expect_rc 0
expect_out "bob@example.org"
expect_out_lines 1
run_tern -F "$CFG" ls -l '~h müller'
expect_out "Jörg Müller"   # header lines are searched decoded, as mutt's thorough_search
expect_out_lines 1
run_tern -F "$CFG" ls -l '~B "alice@example.com" | ~B Fine'
expect_out "Alice Example"
expect_out "bob@example.org"
expect_out_lines 2
run_tern -F "$CFG" ls -l '~N'
expect_rc 0
expect_out "new@example.org"
expect_out_lines 1
end

begin "ls -l with a bad pattern: exit 2 and where the mistake is"
run_tern -F "$CFG" ls -l '~s (open'
expect_rc 2
expect_err "tern ls: -l: pattern: bad regular expression"
run_tern -F "$CFG" ls -l '~q x'
expect_rc 2
expect_err "unknown pattern '~q'"
end
