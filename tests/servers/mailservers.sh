#!/usr/bin/env bash
# mailservers.sh - throwaway, REAL mail servers on 127.0.0.1 for tern's tests and demo
#
# Derived from the verified recipe in ../shared/notes/mailservers.sh, with what
# tern's harness needs on top: free high ports chosen at start (saved in
# $MAILTEST_DIR/ports, so a restart keeps them), and server variants for the
# failure tests:
#   MAILTEST_TLS=no            no TLS at all: IMAP/POP3/SMTP offer no STARTTLS, no
#                              implicit-TLS listeners (tests "STARTTLS required but
#                              not offered")
#   MAILTEST_SMTP_SIZE_LIMIT=N the SIZE the SMTP server announces and enforces (default 35882577)
#   MAILTEST_CERT_NAMES=...    subjectAltNames of the server certificate (default
#                              DNS:localhost,IP:127.0.0.1); another name tests a
#                              host name mismatch
#   MAILTEST_IMAP_SERVER=cyrus IMAP, IMAPS, POP3 and POP3S from Cyrus IMAP 3.6 (Debian
#                              cyrus-imapd, as Debian configures it: separator '.',
#                              the user's folders under "INBOX.", SPECIAL-USE folders
#                              made at start) instead of Dovecot; the SMTP server
#                              delivers through Cyrus's LMTP. Root only (Cyrus's master
#                              becomes user cyrus). Cyrus logs to syslog (/dev/log).
#                              Debian's cyrus-imapd conflicts with dovecot-imapd: its
#                              imapd and pop3d come unpacked from MAILTEST_CYRUS_BIN
#                              (default build/servers/cyrus/..., scripts/install-deps
#                              test puts them there), the rest from cyrus-common.
#   MAILTEST_MTA=postfix       Postfix 3.7 instead of the Python SMTP server: submission
#                              (STARTTLS required before AUTH) and SMTPS, SASL through
#                              Dovecot's auth, delivery through Dovecot's LMTP; no byte
#                              spool (read deliveries back over IMAP/POP3); root only.
#
#   Dovecot 2.3 (Debian dovecot-imapd, -pop3d, -lmtpd): IMAP, IMAPS, POP3, POP3S,
#     LMTP (unix socket), started with its own config (`dovecot -c FILE`), not the
#     system service; maildir storage under $MAILTEST_DIR.
#   aiosmtpd (Debian python3-aiosmtpd): SMTP submission with STARTTLS + AUTH and
#     SMTPS; every accepted message is spooled byte-exact and delivered through
#     Dovecot's LMTP into the recipients' maildirs (send via SMTP, read via IMAP/POP3).
#
# usage: mailservers.sh start | stop | restart | status | env | wipe
#        mailservers.sh sample N [USER]           # N realistic sample messages (make demo)
#        mailservers.sh load N [MAILBOX] [USER]   # write N messages straight into the maildir
#        mailservers.sh selftest                  # SMTP -> IMAP/POP3 round trip with the curl CLI
# Idempotent: start on running servers only prints the ports; stop on stopped ones is a no-op.
# Environment (all optional): MAILTEST_DIR (default /tmp/mailtest) and the ports below.
# Packages: apt-get install dovecot-imapd dovecot-pop3d dovecot-lmtpd python3-aiosmtpd openssl
#           (curl for `selftest`)
#
# Accounts: testuser/testpass, other/otherpass (MAILTEST_USERS); SASL PLAIN, LOGIN,
#   XOAUTH2, OAUTHBEARER (bearer token = password) on every service.
# TLS: own CA in $D/tls/ca.pem (CURLOPT_CAINFO), server cert for localhost + 127.0.0.1,
#   sha256 pin of the server key in $D/tls/server.pin (CURLOPT_PINNEDPUBLICKEY).
# SMTP test hooks: RCPT to unknown local parts -> 550 5.1.1; to tempfail-* -> 450;
#   a header "X-Mailtest-Reply: 554 5.7.1 text" makes the server answer DATA with it;
#   $D/spool/NNNNNN.eml = the exact bytes the server received, NNNNNN.json = envelope.
#   Delivered mail = "Return-Path: <sender>\r\n" + those bytes (Dovecot LMTP adds only that).
# Pitfalls handled here (see the comments below): Dovecot refuses mail access as root
#   (mail uid = nobody when run as root, the invoking user otherwise); the temp dir must be
#   world-traversable when root (auth runs as 'dovecot'); rootless Dovecot needs
#   default_*_user/group = yourself and no chroot; loopback connections count as "secured"
#   (plaintext AUTH allowed before STARTTLS); failed logins are delayed unless
#   auth_failure_delay=0 + login_trusted_networks; a daemonized master becomes a zombie
#   where PID 1 does not reap (containers) - stop treats <defunct> as stopped.
set -euo pipefail

D=${MAILTEST_DIR:-/tmp/mailtest}
TLS=${MAILTEST_TLS:-yes}
SAVED_IMAP_SERVER= SAVED_MTA=
CERT_NAMES=${MAILTEST_CERT_NAMES:-DNS:localhost,IP:127.0.0.1}
# ports: from the environment, else the ones this instance chose before, else
# free ones chosen by start (allocate_ports)
SAVED_IMAP_PORT= SAVED_IMAPS_PORT= SAVED_POP3_PORT= SAVED_POP3S_PORT= SAVED_SUBMISSION_PORT= SAVED_SMTPS_PORT=
# shellcheck disable=SC1091
if [ -s "$D/ports" ]; then . "$D/ports"; fi
IMAP_PORT=${MAILTEST_IMAP_PORT:-$SAVED_IMAP_PORT}
IMAPS_PORT=${MAILTEST_IMAPS_PORT:-$SAVED_IMAPS_PORT}
POP3_PORT=${MAILTEST_POP3_PORT:-$SAVED_POP3_PORT}
POP3S_PORT=${MAILTEST_POP3S_PORT:-$SAVED_POP3S_PORT}
SUBMISSION_PORT=${MAILTEST_SUBMISSION_PORT:-$SAVED_SUBMISSION_PORT}
SMTPS_PORT=${MAILTEST_SMTPS_PORT:-$SAVED_SMTPS_PORT}
IMAP_SERVER=${MAILTEST_IMAP_SERVER:-${SAVED_IMAP_SERVER:-dovecot}}
MTA=${MAILTEST_MTA:-${SAVED_MTA:-aiosmtpd}}
case "$MTA" in
  aiosmtpd) MTA_PIDFILE=$D/run/smtpd.pid MTA_PATTERN=smtpd.py ;;
  postfix) MTA_PIDFILE=$D/postfix/queue/pid/master.pid MTA_PATTERN=postfix ;;
  *) echo "mailservers: MAILTEST_MTA must be aiosmtpd or postfix" >&2; exit 2 ;;
esac
case "$IMAP_SERVER" in
  dovecot) MASTER_PATTERN=dovecot LMTP_SOCKET=$D/run/lmtp ;;
  cyrus) MASTER_PATTERN=cyrus/bin/master LMTP_SOCKET=$D/cyrus/run/lmtp ;;
  *) echo "mailservers: MAILTEST_IMAP_SERVER must be dovecot or cyrus" >&2; exit 2 ;;
esac
# test accounts: user:password (XOAUTH2/OAUTHBEARER bearer token = the password)
USERS=${MAILTEST_USERS:-"testuser:testpass other:otherpass"}
PYTHON=/usr/bin/python3          # Debian's python3 (python3-aiosmtpd lives there)
CYRUS_BIN=${MAILTEST_CYRUS_BIN:-$(cd "$(dirname "$0")/../.." && pwd)/build/servers/cyrus/usr/lib/cyrus/bin}

die() { echo "mailservers: $*" >&2; exit 1; }

alive() {  # alive PIDFILE NAME-PATTERN -> 0 if that pid runs and its cmdline matches
  local pid
  [ -s "$1" ] || return 1
  pid=$(tr -d ' \n' < "$1")
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$2"
}

# a process that is gone or a zombie counts as stopped (in containers whose PID 1 does
# not reap orphans, the daemonized Dovecot master stays <defunct> after it exits)
running() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1); [ -n "$st" ] && [ "$st" != Z ]; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Chooses free ports on 127.0.0.1 (the kernel's ephemeral range) for every
# service that has none yet, and saves them for later calls on this instance.
allocate_ports() {
  local free
  # shellcheck disable=SC2207
  free=($("$PYTHON" -c 'import socket
ss = [socket.socket() for _ in range(6)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))'))
  IMAP_PORT=${IMAP_PORT:-${free[0]}}; IMAPS_PORT=${IMAPS_PORT:-${free[1]}}
  POP3_PORT=${POP3_PORT:-${free[2]}}; POP3S_PORT=${POP3S_PORT:-${free[3]}}
  SUBMISSION_PORT=${SUBMISSION_PORT:-${free[4]}}; SMTPS_PORT=${SMTPS_PORT:-${free[5]}}
  mkdir -p "$D"
  printf 'SAVED_%s_PORT=%s\n' IMAP "$IMAP_PORT" IMAPS "$IMAPS_PORT" POP3 "$POP3_PORT" POP3S "$POP3S_PORT" \
    SUBMISSION "$SUBMISSION_PORT" SMTPS "$SMTPS_PORT" > "$D/ports"
  printf 'SAVED_IMAP_SERVER=%s\nSAVED_MTA=%s\n' "$IMAP_SERVER" "$MTA" >> "$D/ports"
}

print_env() {
  cat <<EOF
MAILTEST_DIR=$D
MAILTEST_IMAP_PORT=$IMAP_PORT
MAILTEST_IMAPS_PORT=$IMAPS_PORT
MAILTEST_POP3_PORT=$POP3_PORT
MAILTEST_POP3S_PORT=$POP3S_PORT
MAILTEST_SUBMISSION_PORT=$SUBMISSION_PORT
MAILTEST_SMTPS_PORT=$SMTPS_PORT
MAILTEST_TLS=$TLS
MAILTEST_CA=$D/tls/ca.pem
MAILTEST_USER=testuser
MAILTEST_PASS=testpass
MAILTEST_MAILDIR=$D/mail/testuser/Maildir
MAILTEST_IMAP_SERVER=$IMAP_SERVER
MAILTEST_MTA=$MTA
EOF
}

mail_owner() {
  # Dovecot refuses mail access as root ("Mail access not allowed for root").
  if [ "$(id -u)" = 0 ]; then
    MAIL_UID=${MAILTEST_UID:-$(id -u nobody)}; MAIL_GID=${MAILTEST_GID:-$(getent group nogroup | cut -d: -f3)}
  else
    MAIL_UID=$(id -u); MAIL_GID=$(id -g)
  fi
}

gen_tls() {
  [ -s "$D/tls/server.pem" ] && return 0
  mkdir -p "$D/tls"
  ( cd "$D/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
      -subj "/CN=mailtest CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
      -subj "/CN=$(echo "$CERT_NAMES" | sed 's/^[A-Z]*://; s/,.*//')" 2>/dev/null
    printf '%s\n' "subjectAltName=$CERT_NAMES" "basicConstraints=CA:FALSE" \
      "keyUsage=digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" > ext.cnf
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
      -out server.pem -days 3650 -extfile ext.cnf 2>/dev/null
    # sha256 pin of the server public key, for CURLOPT_PINNEDPUBLICKEY
    openssl x509 -in server.pem -pubkey -noout | openssl pkey -pubin -outform der \
      | openssl dgst -sha256 -binary | base64 | sed 's|^|sha256//|' > server.pin
    chmod 644 ca.pem server.pem server.pin; chmod 600 ca.key server.key )
}

tls_listener() {  # tls_listener NAME PORT: an implicit-TLS listener, unless TLS=no
  [ "$TLS" = no ] && return 0
  printf '  inet_listener %s {\n    port = %s\n    ssl = yes\n  }\n' "$1" "$2"
}

write_config() {
  mail_owner
  mkdir -p "$D"/{etc,run,state,log,mail,spool}
  chmod 755 "$D" "$D/etc" "$D/mail"   # auth runs as user 'dovecot' when started as root
  : > "$D/etc/passwd"
  local json_users="" u p
  for up in $USERS; do
    u=${up%%:*}; p=${up#*:}
    echo "$u:{PLAIN}$p:$MAIL_UID:$MAIL_GID::$D/mail/$u::" >> "$D/etc/passwd"
    mkdir -p "$D/mail/$u"
    json_users+="${json_users:+, }\"$u\": \"$p\""
  done
  chmod 644 "$D/etc/passwd"
  chown -R "$MAIL_UID:$MAIL_GID" "$D/mail"

  local login_user internal_user internal_group chroot_line
  if [ "$(id -u)" = 0 ]; then
    id dovenull >/dev/null 2>&1 || die "user dovenull missing (install dovecot-core)"
    login_user=dovenull; internal_user=dovecot; internal_group=dovecot; chroot_line=""
  else  # rootless Dovecot: everything runs as the invoking user, no chroot
    login_user=$(id -un); internal_user=$(id -un); internal_group=$(id -gn); chroot_line="chroot ="
  fi

  cat > "$D/etc/dovecot.conf" <<EOF
# generated by mailservers.sh - do not edit
instance_name = mailtest-$(basename "$D")
base_dir = $D/run
state_dir = $D/state
log_path = $D/log/dovecot.log
listen = 127.0.0.1
protocols = imap pop3 lmtp
hostname = localhost
postmaster_address = postmaster@localhost
default_login_user = $login_user
default_internal_user = $internal_user
default_internal_group = $internal_group
first_valid_uid = 1
first_valid_gid = 1

ssl = $TLS
ssl_cert = <$D/tls/server.pem
ssl_key = <$D/tls/server.key
ssl_min_protocol = TLSv1.2
# 127.0.0.1 -> 127.0.0.1 counts as "secured" for Dovecot, so plaintext AUTH/LOGIN
# works on the cleartext ports even before STARTTLS; keep the production default:
disable_plaintext_auth = yes
auth_mechanisms = plain login xoauth2 oauthbearer
auth_username_format = %Ln
# failed logins: default is a 2 s delay plus an anvil "auth penalty" that grows to
# 4.5 s+ per attempt from the same IP; these two settings bring it down to ~0.5 s
# (trusted networks get no penalty; loopback is already "secured" anyway)
auth_failure_delay = 0 secs
login_trusted_networks = 127.0.0.0/8

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $D/etc/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%n $D/etc/passwd
}

mail_location = maildir:~/Maildir
mail_fsync = never
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}

protocol imap {
  mail_max_userip_connections = 100
}
protocol pop3 {
  mail_max_userip_connections = 100
}
protocol lmtp {
  # no Delivered-To:/Received: headers, so delivered mail = Return-Path: + what SMTP got
  lmtp_hdr_delivery_address = none
  lmtp_add_received_header = no
}

service imap-login {
  $chroot_line
  inet_listener imap {
    port = $IMAP_PORT
  }
$(tls_listener imaps "$IMAPS_PORT")
}
service pop3-login {
  $chroot_line
  inet_listener pop3 {
    port = $POP3_PORT
  }
$(tls_listener pop3s "$POP3S_PORT")
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
service anvil {
  $chroot_line
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
service auth {
  # SASL for Postfix (smtpd_sasl_type = dovecot)
  unix_listener auth-postfix {
    mode = 0666
  }
}
EOF

  cat > "$D/etc/smtpd.json" <<EOF
{"users": {$json_users}, "spool": "$D/spool", "lmtp_socket": "$LMTP_SOCKET",
 "cert": "$D/tls/server.pem", "key": "$D/tls/server.key", "hostname": "localhost",
 "submission_port": $SUBMISSION_PORT, "smtps_port": $SMTPS_PORT,
 "require_starttls": true, "auth_required": true, "size_limit": ${MAILTEST_SMTP_SIZE_LIMIT:-35882577}, "tls": $([ "$TLS" = no ] && echo false || echo true)}
EOF
  write_smtpd
}

write_smtpd() {  # the SMTP server (aiosmtpd), embedded so this script is self-contained
  cat > "$D/etc/smtpd.py" <<'PYEOF'
#!/usr/bin/python3
# Minimal but real SMTP submission server for loopback integration tests.
# aiosmtpd (Debian: python3-aiosmtpd) speaks the protocol; every accepted
# message is (1) saved byte-exact (after SMTP dot-unstuffing) to SPOOL/NNNNNN.eml
# with its envelope in NNNNNN.json and (2) delivered through Dovecot's LMTP
# socket into the recipients' maildirs, so tests can read it back over IMAP/POP3.
#
# usage: mailtest_smtpd.py CONFIG.json      (see mailservers.sh for the keys)
import asyncio, base64, json, os, signal, smtplib, ssl, sys, threading
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

cfg = json.load(open(sys.argv[1]))
USERS = cfg["users"]                       # {"testuser": "testpass", ...}
SPOOL = cfg["spool"]
LMTP = cfg["lmtp_socket"]
os.makedirs(SPOOL, exist_ok=True)
_counter = [len([f for f in os.listdir(SPOOL) if f.endswith(".eml")])]
_lock = threading.Lock()


def local_part(addr):
    return addr.rsplit("@", 1)[0].strip('"').lower()


def authenticator(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword):
        user = auth_data.login.decode("utf-8", "replace")
        pw = auth_data.password.decode("utf-8", "replace")
        if USERS.get(user) == pw:
            return AuthResult(success=True, auth_data=user)
    return AuthResult(success=False, handled=False)


class Handler:
    # XOAUTH2 (Google/Microsoft style) and OAUTHBEARER (RFC 7628) for client
    # tests: the bearer token is the user's password (as with Dovecot + passwd-file).
    async def auth_XOAUTH2(self, server, args):
        raw = await self._ir_or_challenge(server, args)
        if raw is None:
            return AuthResult(success=False, handled=True)
        parts = dict(p.split("=", 1) for p in raw.split("\x01") if "=" in p)
        return await self._check(server, parts.get("user", ""), parts.get("auth", ""))

    async def auth_OAUTHBEARER(self, server, args):
        raw = await self._ir_or_challenge(server, args)
        if raw is None:
            return AuthResult(success=False, handled=True)
        gs2, _, rest = raw.partition("\x01")
        user = ""
        for item in gs2.split(","):
            if item.startswith("a="):
                user = item[2:]
        parts = dict(p.split("=", 1) for p in rest.split("\x01") if "=" in p)
        return await self._check(server, user, parts.get("auth", ""))

    async def _ir_or_challenge(self, server, args):
        if len(args) > 1 and args[1] != "=":
            try:
                return base64.b64decode(args[1]).decode("utf-8", "replace")
            except Exception:
                return None
        data = await server.challenge_auth("", encode_to_b64=False)
        if not isinstance(data, (bytes, bytearray)):
            return None
        return bytes(data).decode("utf-8", "replace")

    async def _check(self, server, user, auth):
        if auth.startswith("Bearer ") and user in USERS and auth[7:] == USERS[user]:
            return AuthResult(success=True, auth_data=user)
        # RFC 7628 error: the client must answer the challenge with a dummy
        await server.push("535 5.7.8 Authentication credentials invalid")
        return AuthResult(success=False, handled=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        lp = local_part(address)
        if lp.startswith("tempfail"):
            return "450 4.2.1 <%s>: temporary failure (test)" % address
        if lp not in USERS:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content
        # test hook: a header "X-Mailtest-Reply: 554 5.7.1 rejected" makes the
        # server answer DATA with that reply instead of accepting the message
        hdr_end = data.find(b"\r\n\r\n")
        for line in data[:hdr_end if hdr_end >= 0 else len(data)].split(b"\r\n"):
            if line.lower().startswith(b"x-mailtest-reply:"):
                return line.split(b":", 1)[1].strip().decode("ascii", "replace")
        with _lock:
            _counter[0] += 1
            n = _counter[0]
        base = os.path.join(SPOOL, "%06d" % n)
        meta = {
            "mail_from": envelope.mail_from,
            "mail_options": envelope.mail_options,
            "rcpt_tos": envelope.rcpt_tos,
            "rcpt_options": envelope.rcpt_options,
            "auth_user": session.auth_data if isinstance(session.auth_data, str) else None,
            "tls": server.transport.get_extra_info("sslcontext") is not None,
            "size": len(data),
        }
        with open(base + ".eml.tmp", "wb") as f:
            f.write(data)
        with open(base + ".json", "w") as f:
            json.dump(meta, f, indent=1)
        os.rename(base + ".eml.tmp", base + ".eml")
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, self._deliver, envelope, data)
        except Exception as e:  # LMTP problem -> tell the client to retry later
            return "451 4.3.0 local delivery failed: %s" % str(e).replace("\r", " ").replace("\n", " ")[:200]
        return "250 2.0.0 Ok: queued as %06d" % n

    @staticmethod
    def _deliver(envelope, data):
        sender = envelope.mail_from or ""
        if not sender.isascii():    # Dovecot 2.3 LMTP has no SMTPUTF8
            sender = ""
        # one LMTP transaction per recipient: LMTP answers DATA once per RCPT
        # and smtplib's sendmail() only reads one reply
        with smtplib.LMTP(LMTP) as lm:
            for r in dict.fromkeys(local_part(r) for r in envelope.rcpt_tos):
                lm.sendmail(sender, [r], data)


def tls_ctx():
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cfg["cert"], cfg["key"])
    return ctx


def factory(implicit_tls):
    def make():
        return SMTP(Handler(), hostname=cfg.get("hostname", "localhost"),
                    ident="mailtest aiosmtpd",
                    data_size_limit=cfg.get("size_limit", 35882577),
                    enable_SMTPUTF8=True,
                    # on the STARTTLS port: STARTTLS + AUTH required before MAIL
                    tls_context=None if implicit_tls or not cfg.get("tls", True) else tls_ctx(),
                    require_starttls=not implicit_tls and cfg.get("tls", True) and cfg.get("require_starttls", True),
                    auth_required=cfg.get("auth_required", True),
                    # aiosmtpd 1.4 cannot tell that an implicit-TLS socket is encrypted
                    auth_require_tls=not implicit_tls and cfg.get("tls", True),
                    authenticator=authenticator)
    return make


async def main():
    loop = asyncio.get_running_loop()
    servers = [await loop.create_server(factory(False), "127.0.0.1", cfg["submission_port"])]
    if cfg.get("tls", True):
        servers.append(await loop.create_server(factory(True), "127.0.0.1", cfg["smtps_port"], ssl=tls_ctx()))
    stop = asyncio.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    print("mailtest smtpd ready on %d (STARTTLS) and %d (implicit TLS)"
          % (cfg["submission_port"], cfg["smtps_port"]), flush=True)
    await stop.wait()
    for s in servers:
        s.close()


asyncio.run(main())
PYEOF
}

# Cyrus IMAP 3.6 as Debian configures it (altnamespace: no, unixhierarchysep: no:
# separator '.', the user's folders are "INBOX.Sent" ...), with its own imapd.conf
# and cyrus.conf under $D/cyrus; users in a private sasldb; IMAP, IMAPS, POP3, POP3S
# and LMTP (unix socket, for the SMTP server's deliveries).
write_cyrus_config() {
  local C=$D/cyrus u p
  [ "$(id -u)" = 0 ] || die "Cyrus runs as root only (its master becomes user cyrus)"
  id cyrus >/dev/null 2>&1 || die "user cyrus missing (install cyrus-imapd)"
  mkdir -p "$C"/{lib/db,lib/user,lib/quota,lib/msg,lib/sieve,lib/log,lib/ptclient,spool,run/proc,run/lock}
  cat > "$C/imapd.conf" <<EOF
# generated by mailservers.sh - do not edit
configdirectory: $C/lib
partition-default: $C/spool
defaultpartition: default
proc_path: $C/run/proc
mboxname_lockpath: $C/run/lock
lmtpsocket: $C/run/lmtp
idlesocket: $C/run/idle
notifysocket: $C/run/notify
servername: localhost
admins: cyrusadmin
altnamespace: no
unixhierarchysep: no
allowplaintext: yes
lmtp_downcase_rcpt: yes
popminpoll: 0
# IDLE: Debian's imapd does not reach idled here ("error sending message NOTIFY to
# idled"), so it polls the mailbox; once a second keeps the IDLE tests short
imapidlepoll: 1
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $C/sasldb2
sasl_mech_list: PLAIN LOGIN
tls_server_cert: $D/tls/server.pem
tls_server_key: $C/server.key
tls_versions: tls1_2 tls1_3
syslog_prefix: mailtest-$(basename "$D")
umask: 077
EOF
  cat > "$C/cyrus.conf" <<EOF
START {
  recover cmd="ctl_cyrusdb -C $C/imapd.conf -r"
}
SERVICES {
  imap     cmd="$CYRUS_BIN/imapd -C $C/imapd.conf" listen="127.0.0.1:$IMAP_PORT" prefork=0
  imaps    cmd="$CYRUS_BIN/imapd -s -C $C/imapd.conf" listen="127.0.0.1:$IMAPS_PORT" prefork=0
  pop3     cmd="$CYRUS_BIN/pop3d -C $C/imapd.conf" listen="127.0.0.1:$POP3_PORT" prefork=0
  pop3s    cmd="$CYRUS_BIN/pop3d -s -C $C/imapd.conf" listen="127.0.0.1:$POP3S_PORT" prefork=0
  lmtpunix cmd="lmtpd -C $C/imapd.conf" listen="$C/run/lmtp" prefork=0
}
EVENTS {
}
DAEMON {
}
EOF
  rm -f "$C/sasldb2"
  for up in $USERS cyrusadmin:cyrusadmin-pass; do
    u=${up%%:*}; p=${up#*:}
    printf '%s' "$p" | saslpasswd2 -p -c -f "$C/sasldb2" -u localhost "$u"
  done
  install -m 600 "$D/tls/server.key" "$C/server.key"
  chown -R cyrus:mail "$C"
  chmod 755 "$C" "$C/run"
}

# The users' mailboxes and their SPECIAL-USE folders, once per instance.
make_cyrus_users() {
  [ -e "$D/cyrus/users-made" ] && return 0
  "$PYTHON" - "$IMAP_PORT" "$USERS" <<'PY'
import imaplib, sys
port, users = int(sys.argv[1]), [u.split(":", 1) for u in sys.argv[2].split()]
admin = imaplib.IMAP4("127.0.0.1", port)
admin.login("cyrusadmin", "cyrusadmin-pass")
for user, _ in users:
    typ, data = admin.create("user.%s" % user)
    assert typ == "OK" or b"exists" in (data[0] or b"").lower(), data
admin.logout()
for user, password in users:
    m = imaplib.IMAP4("127.0.0.1", port)
    m.login(user, password)
    for box, use in (("Drafts", "\\Drafts"), ("Sent", "\\Sent"), ("Trash", "\\Trash"), ("Junk", "\\Junk"), ("Archive", "\\Archive")):
        m._simple_command("CREATE", "INBOX." + box, "(USE (%s))" % use)
        m.subscribe("INBOX." + box)
    m.logout()
PY
  touch "$D/cyrus/users-made"
}

# Postfix 3.7 (Debian postfix) in place of the Python SMTP server: submission
# with STARTTLS required before AUTH, SMTPS (wrapper mode), SASL through
# Dovecot's auth socket, delivery through Dovecot's LMTP; its own main.cf and
# master.cf under $D/postfix, log in $D/log/postfix.log. Test hooks as the
# Python server has them: unknown local parts -> 550 5.1.1, tempfail-* -> 450.
write_postfix_config() {
  local P=$D/postfix u
  [ "$(id -u)" = 0 ] || die "Postfix runs as root only (its master drops to user postfix)"
  id postfix >/dev/null 2>&1 || die "user postfix missing (install postfix)"
  mkdir -p "$P"/{etc,queue,data}
  : > "$P/etc/users"
  for up in $USERS; do u=${up%%:*}; echo "$u@localhost OK" >> "$P/etc/users"; done
  echo '/^tempfail/ 450 4.2.1 temporary failure (test)' > "$P/etc/tempfail"
  cat > "$P/etc/main.cf" <<EOF
# generated by mailservers.sh - do not edit
compatibility_level = 3.6
queue_directory = $P/queue
data_directory = $P/data
mail_owner = postfix
setgid_group = postdrop
maillog_file_prefixes = $D/log
maillog_file = $D/log/postfix.log
myhostname = localhost
mydomain = localhost
myorigin = localhost
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
alias_maps =
alias_database =
local_recipient_maps =
relay_domains =
biff = no
smtputf8_enable = yes
message_size_limit = ${MAILTEST_SMTP_SIZE_LIMIT:-35882577}
virtual_mailbox_domains = localhost
virtual_mailbox_maps = texthash:$P/etc/users
virtual_transport = lmtp:unix:$D/run/lmtp
smtpd_tls_cert_file = $D/tls/server.pem
smtpd_tls_key_file = $P/server.key
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_auth_only = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $D/run/auth-postfix
smtpd_sasl_auth_enable = yes
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = check_recipient_access regexp:$P/etc/tempfail, reject_unlisted_recipient, permit_sasl_authenticated, reject
unknown_virtual_mailbox_reject_code = 550
EOF
  cat > "$P/etc/master.cf" <<EOF
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd -o syslog_name=postfix/submission -o smtpd_tls_security_level=encrypt -o smtpd_client_restrictions=permit_sasl_authenticated,reject
127.0.0.1:$SMTPS_PORT inet n - n - - smtpd -o syslog_name=postfix/smtps -o smtpd_tls_wrappermode=yes -o smtpd_client_restrictions=permit_sasl_authenticated,reject
pickup    unix n - n 60 1 pickup
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
tlsmgr    unix - - n 1000? 1 tlsmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
lmtp      unix - - n - - lmtp
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
  install -m 600 "$D/tls/server.key" "$P/server.key"
  chown postfix "$P/data"
}

start() {
  if [ "$IMAP_SERVER" = cyrus ]; then
    [ -x /usr/lib/cyrus/bin/master ] || die "cyrus-common not installed (sh scripts/install-deps test)"
    [ -x "$CYRUS_BIN/imapd" ] && [ -x "$CYRUS_BIN/pop3d" ] || die "no Cyrus imapd/pop3d in $CYRUS_BIN (sh scripts/install-deps test unpacks them)"
    command -v saslpasswd2 >/dev/null || die "sasl2-bin not installed"
  else
    command -v dovecot >/dev/null || die "dovecot not installed"
    [ -x /usr/lib/dovecot/lmtp ] || die "dovecot-lmtpd not installed"
    [ -x /usr/lib/dovecot/pop3 ] || die "dovecot-pop3d not installed"
  fi
  [ -x "$PYTHON" ] && "$PYTHON" -c 'import aiosmtpd' 2>/dev/null || die "python3-aiosmtpd not installed"
  local t0; t0=$(date +%s%N)
  if [ "$MTA" = postfix ]; then
    [ -x /usr/lib/postfix/sbin/master ] || die "postfix not installed"
    [ "$IMAP_SERVER" = dovecot ] || die "Postfix authenticates and delivers through Dovecot: MAILTEST_IMAP_SERVER=dovecot"
  fi
  if alive "$D/run/master.pid" "$MASTER_PATTERN" && alive "$MTA_PIDFILE" "$MTA_PATTERN"; then
    echo "already running"; print_env; return 0
  fi
  if [ -z "$IMAP_PORT" ] || [ -z "$IMAPS_PORT" ] || [ -z "$POP3_PORT" ] || [ -z "$POP3S_PORT" ] ||
     [ -z "$SUBMISSION_PORT" ] || [ -z "$SMTPS_PORT" ] || [ ! -s "$D/ports" ]; then allocate_ports; fi
  mkdir -p "$D"
  gen_tls
  write_config
  if ! alive "$D/run/master.pid" "$MASTER_PATTERN"; then
    if [ "$IMAP_SERVER" = cyrus ]; then
      [ "$TLS" = no ] && die "MAILTEST_TLS=no is for Dovecot only"
      write_cyrus_config
      /usr/lib/cyrus/bin/master -C "$D/cyrus/imapd.conf" -M "$D/cyrus/cyrus.conf" -p "$D/run/master.pid" -d ||
        die "cyrus master failed (it logs to syslog, /dev/log)"
    else
      dovecot -c "$D/etc/dovecot.conf" || { tail -5 "$D/log/dovecot.log" >&2; die "dovecot failed"; }
    fi
  fi
  if alive "$MTA_PIDFILE" "$MTA_PATTERN"; then :
  elif [ "$MTA" = postfix ]; then
    write_postfix_config
    postfix -c "$D/postfix/etc" start >> "$D/log/postfix.log" 2>&1 || { tail -n 5 "$D/log/postfix.log" >&2; die "postfix failed"; }
  else
    nohup "$PYTHON" "$D/etc/smtpd.py" "$D/etc/smtpd.json" >> "$D/log/smtpd.log" 2>&1 &
    echo $! > "$D/run/smtpd.pid"
  fi
  local i
  for i in $(seq 1 100); do   # wait up to 10 s for every port + the LMTP socket
    if port_open "$IMAP_PORT" && port_open "$POP3_PORT" && port_open "$SUBMISSION_PORT" &&
       { [ "$TLS" = no ] || { port_open "$IMAPS_PORT" && port_open "$POP3S_PORT" && port_open "$SMTPS_PORT"; }; } &&
       [ -S "$LMTP_SOCKET" ]; then
      [ "$IMAP_SERVER" = cyrus ] && make_cyrus_users
      echo "started $IMAP_SERVER in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
      print_env
      return 0
    fi
    sleep 0.1
  done
  tail -n 20 "$D/log/dovecot.log" "$D/log/smtpd.log" "$D/log/postfix.log" >&2 || true
  die "servers did not come up"
}

stop_pid() {  # stop_pid PIDFILE PATTERN
  alive "$1" "$2" || { rm -f "$1"; return 0; }
  local pid i; pid=$(tr -d ' \n' < "$1")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do running "$pid" || break; sleep 0.1; done
  if running "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$1"
}

stop() {
  stop_pid "$MTA_PIDFILE" "$MTA_PATTERN"
  # the master's children (imap, pop3, lmtp, auth, ...) exit with it
  stop_pid "$D/run/master.pid" "$MASTER_PATTERN"
  echo "stopped"
}

status() {
  local rc=0
  if alive "$D/run/master.pid" "$MASTER_PATTERN"; then echo "$IMAP_SERVER: running (pid $(cat "$D/run/master.pid"))"; else echo "$IMAP_SERVER: stopped"; rc=1; fi
  if alive "$MTA_PIDFILE" "$MTA_PATTERN"; then echo "$MTA: running (pid $(tr -d ' ' < "$MTA_PIDFILE"))"; else echo "$MTA: stopped"; rc=1; fi
  return $rc
}

password_of() { local up; for up in $USERS; do [ "${up%%:*}" = "$1" ] && echo "${up#*:}"; done; }

# Cyrus's store is not a maildir: what load and sample write goes to a scratch
# maildir first, then to the server by APPEND (tests/servers/append_maildir.py).
append_scratch() {  # append_scratch USER SCRATCH-MAILDIR
  "$PYTHON" "$(dirname "$0")/append_maildir.py" "$IMAP_PORT" "$1" "$(password_of "$1")" "$2"
  rm -rf "$2"
}

load() {  # load N [MAILBOX] [USER]: write N messages as maildir files, then let Dovecot index
  local n=${1:?count} box=${2:-INBOX} user=${3:-testuser} dir
  mail_owner
  if [ "$IMAP_SERVER" = cyrus ]; then
    dir=$(mktemp -d "$D/scratch.XXXXXX")
    [ "$box" = INBOX ] || dir="$dir/.${box//\//.}"
  elif [ "$box" = INBOX ]; then dir="$D/mail/$user/Maildir"; else dir="$D/mail/$user/Maildir/.${box//\//.}"; fi
  local t0; t0=$(date +%s%N)
  "$PYTHON" - "$dir" "$n" "$box" <<'PY'
import os, sys, time, random
d, n, box = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(d, sub), exist_ok=True)
if box != "INBOX":
    open(os.path.join(d, "maildirfolder"), "a").close()
rnd = random.Random(42)
now = int(time.time()); pid = os.getpid()
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
# 64 precomputed bodies of 5..60 lines keep generation cheap (~4 s per 50,000 messages)
bodies = ["\n".join(" ".join(rnd.choice(words) for _ in range(12)) for _ in range(rnd.randint(5, 60))) + "\n"
          for _ in range(64)]
cur = os.path.join(d, "cur")
for i in range(1, n + 1):
    t = now - (n - i) * 60
    mid = "<load-%d-%d@mailtest.invalid>" % (now, i)
    hdr = "From: Sender %d <sender%d@example.test>\nTo: testuser@localhost\nSubject: Load test message %d %s\n" \
          "Date: %s\nMessage-ID: %s\n" % (i % 97, i % 97, i, words[i % 12],
          time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t)), mid)
    if i > 1 and i % 3:   # two out of three messages reply to the previous one
        parent = "<load-%d-%d@mailtest.invalid>" % (now, i - 1)
        hdr += "In-Reply-To: %s\nReferences: %s\n" % (parent, parent)
    data = (hdr + "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n" + bodies[i % 64]).encode()
    vsize = len(data) + data.count(b"\n")          # size with CRLF line ends = RFC822.SIZE
    # S= and W= let Dovecot skip reading the file for sizes; ":2,S" = \Seen for 3 of 4
    name = "%d.M%dP%d.mailtest,S=%d,W=%d:2,%s" % (t, i, pid, len(data), vsize, "S" if i % 4 else "")
    fd = os.open(os.path.join(cur, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, data)
    os.close(fd)
PY
  if [ "$IMAP_SERVER" = cyrus ]; then append_scratch "$user" "${dir%/.*}"; return; fi
  # files were written as the invoking user; hand the new ones to the mail uid (not the whole tree)
  chown "$MAIL_UID:$MAIL_GID" "$D/mail/$user" "$D/mail/$user/Maildir" "$dir" "$dir"/maildirfolder 2>/dev/null || true
  chown -R "$MAIL_UID:$MAIL_GID" "$dir/cur" "$dir/new" "$dir/tmp"
  local t1; t1=$(date +%s%N)
  # sync now: assigns UIDs + builds the index (otherwise the first SELECT/STATUS pays for it);
  # MAILTEST_NO_INDEX=1 skips this
  [ "${MAILTEST_NO_INDEX:-0}" = 1 ] || doveadm -c "$D/etc/dovecot.conf" mailbox status -u "$user" "messages uidnext" "$box"
  local t2; t2=$(date +%s%N)
  echo "wrote $n files in $(( (t1 - t0) / 1000000 )) ms, indexed in $(( (t2 - t1) / 1000000 )) ms"
}

sample() {  # sample N [USER]: N realistic messages (tests/servers/sample_mail.py) for the demo
  local n=${1:?count} user=${2:-testuser} dir box
  mail_owner
  dir="$D/mail/$user/Maildir"
  if [ "$IMAP_SERVER" = cyrus ]; then
    dir=$(mktemp -d "$D/scratch.XXXXXX")
    "$PYTHON" "$(dirname "$0")/sample_mail.py" "$dir" "$n"
    append_scratch "$user" "$dir"
    return
  fi
  "$PYTHON" "$(dirname "$0")/sample_mail.py" "$dir" "$n"
  chown -R "$MAIL_UID:$MAIL_GID" "$D/mail/$user"
  for box in INBOX Archive Sent; do
    doveadm -c "$D/etc/dovecot.conf" mailbox status -u "$user" "messages unseen" "$box"
  done
}

selftest() {  # end-to-end check with the curl CLI: SMTP in, IMAP + POP3 out, byte-exact
  command -v curl >/dev/null || die "curl CLI not installed"
  local tmp pass=0 fail=0 uid n got id
  tmp=$(mktemp -d)
  id="selftest-$$-$(date +%s%N)@mailtest.invalid"
  # dot-lines, a lone dot, 8-bit UTF-8, CRLF line ends
  printf 'From: Self Test <alice@example.test>\r\nTo: testuser@localhost\r\nSubject: selftest\r\nMessage-ID: <%s>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n.leading dot\r\n.\r\n..two dots\r\ncaf\303\251\r\nend\r\n' "$id" > "$tmp/msg"
  printf 'Return-Path: <alice@example.test>\r\n' | cat - "$tmp/msg" > "$tmp/expected"
  check() { if cmp -s "$1" "$2"; then pass=$((pass+1)); echo "ok   $3"; else fail=$((fail+1)); echo "FAIL $3"; fi; }
  local C=(curl -sS --max-time 20 --cacert "$D/tls/ca.pem")
  "${C[@]}" --ssl-reqd "smtp://127.0.0.1:$SUBMISSION_PORT" -u testuser:testpass --mail-from alice@example.test \
     --mail-rcpt testuser@localhost --mail-rcpt other@localhost -T "$tmp/msg" && pass=$((pass+1)) && echo "ok   SMTP submission+STARTTLS+AUTH" || { fail=$((fail+1)); echo "FAIL SMTP submission"; }
  check "$tmp/msg" "$(ls "$D"/spool/*.eml | sort | tail -1)" "server spool has the exact bytes (dot-stuffing undone)"
  uid=$("${C[@]}" "imaps://localhost:$IMAPS_PORT/INBOX" -u testuser:testpass -X "UID SEARCH HEADER Message-ID \"$id\"" | tr -d '\r' | awk '{print $NF}')
  "${C[@]}" --ssl-reqd "imap://127.0.0.1:$IMAP_PORT/INBOX;UID=$uid" -u testuser:testpass -o "$tmp/imap"
  check "$tmp/expected" "$tmp/imap" "IMAP+STARTTLS fetch of UID $uid"
  "${C[@]}" "imaps://localhost:$IMAPS_PORT/INBOX;UID=$uid" -u testuser:testpass -o "$tmp/imaps"
  check "$tmp/expected" "$tmp/imaps" "IMAPS fetch"
  n=$("${C[@]}" "pop3s://localhost:$POP3S_PORT/" -u other:otherpass | tail -1 | cut -d' ' -f1)
  "${C[@]}" "pop3s://localhost:$POP3S_PORT/$n" -u other:otherpass -o "$tmp/pop3s"
  check "$tmp/expected" "$tmp/pop3s" "POP3S RETR $n (other@localhost)"
  "${C[@]}" --ssl-reqd "pop3://127.0.0.1:$POP3_PORT/$n" -u other:otherpass -o "$tmp/pop3"
  check "$tmp/expected" "$tmp/pop3" "POP3+STLS RETR $n"
  "${C[@]}" "smtps://localhost:$SMTPS_PORT" -u testuser:testpass --mail-from alice@example.test \
     --mail-rcpt testuser@localhost -T "$tmp/msg" && pass=$((pass+1)) && echo "ok   SMTPS (implicit TLS)" || { fail=$((fail+1)); echo "FAIL SMTPS"; }
  got=$("${C[@]}" --ssl-reqd "smtp://127.0.0.1:$SUBMISSION_PORT" -u testuser:testpass --mail-from a@example.test \
     --mail-rcpt nosuchuser@localhost -T "$tmp/msg" 2>&1 || true)
  case "$got" in *550*) pass=$((pass+1)); echo "ok   unknown recipient -> 550";; *) fail=$((fail+1)); echo "FAIL unknown recipient: $got";; esac
  rm -rf "$tmp"
  echo "$pass passed, $fail failed"
  [ "$fail" = 0 ]
}

case "${1:-status}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  env) print_env ;;
  load) shift; load "$@" ;;
  sample) shift; sample "$@" ;;
  selftest) selftest ;;
  wipe) stop; rm -rf "$D"; echo "removed $D" ;;
  *) echo "usage: $0 start|stop|restart|status|env|selftest|wipe|load N [MAILBOX] [USER]|sample N [USER]" >&2; exit 2 ;;
esac
