#!/usr/bin/env bash
# make demo: the bundled mail servers with a few hundred sample messages and
# tern opened on that account.
#
#   demo.sh start   start (or reuse) the demo servers, load sample mail once,
#                   write the demo config, open tern on it
#   demo.sh stop    stop the demo servers (by their PID files) and remove them
#
# Everything lives in $TERN_DEMO_DIR (default /tmp/tern-demo): servers/ (Dovecot
# and the SMTP server, free ports on 127.0.0.1), config, home/.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEMO=${TERN_DEMO_DIR:-/tmp/tern-demo}
SERVERS="$ROOT/tests/servers/mailservers.sh"
TERN="$ROOT/tern"

case "${1:-start}" in
stop)
  [ -d "$DEMO/servers" ] && MAILTEST_DIR="$DEMO/servers" bash "$SERVERS" stop
  rm -rf "$DEMO"
  exit 0 ;;
start) ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

mkdir -p "$DEMO"
chmod 755 "$DEMO"   # Dovecot's auth process runs as another user when we are root
export MAILTEST_DIR="$DEMO/servers"
# the daemons must not hold on to our terminal's output
if ! bash "$SERVERS" start > "$DEMO/servers.env" 2> "$DEMO/servers.err" < /dev/null; then
  cat "$DEMO/servers.err" >&2
  exit 1
fi
if [ ! -e "$DEMO/sample-loaded" ]; then
  bash "$SERVERS" sample 300 > "$DEMO/sample.log"
  touch "$DEMO/sample-loaded"
fi
# shellcheck disable=SC1091
. "$DEMO/servers/ports"
mkdir -p "$DEMO/home"
cat > "$DEMO/config" <<CONF
# tern demo account on the bundled local servers (make demo; make demo-stop)
account demo {
    from             = "Test User <testuser@localhost>"
    receive          = imaps://testuser@localhost:$SAVED_IMAPS_PORT
    send             = smtp://testuser@localhost:$SAVED_SUBMISSION_PORT
    password_command = "echo testpass"      # the demo server's test password
    ca_file          = $DEMO/servers/tls/ca.pem
    maildir          = $DEMO/home/mail
}
account demo-pop {
    from             = "Other User <other@localhost>"
    receive          = pop3s://other@localhost:$SAVED_POP3S_PORT
    send             = smtps://other@localhost:$SAVED_SMTPS_PORT
    password_command = "echo otherpass"
    ca_file          = $DEMO/servers/tls/ca.pem
    maildir          = $DEMO/home/mail-pop
}
CONF

echo "tern demo: servers on 127.0.0.1 (IMAPS $SAVED_IMAPS_PORT, IMAP $SAVED_IMAP_PORT, POP3S $SAVED_POP3S_PORT," \
     "SMTP $SAVED_SUBMISSION_PORT, SMTPS $SAVED_SMTPS_PORT), 300 sample messages for testuser"
echo "tern demo: config in $DEMO/config"
echo
echo "First the account checks (tern check), a message sent from the POP3 account to the IMAP one"
echo "(tern send) and a sync of both (tern sync); then tern opens on the IMAP account's INBOX."
echo
HOME="$DEMO/home" "$TERN" -F "$DEMO/config" check || true
printf 'To: Test User <testuser@localhost>\nSubject: Hello from the demo (sent with tern send)\n\nSent by tern send over SMTPS.\n' |
  HOME="$DEMO/home" XDG_DATA_HOME="$DEMO/home/data" "$TERN" -F "$DEMO/config" send -a demo-pop -t || true
HOME="$DEMO/home" XDG_DATA_HOME="$DEMO/home/data" "$TERN" -F "$DEMO/config" sync --verbose || true
echo
echo "Again later: HOME=$DEMO/home XDG_DATA_HOME=$DEMO/home/data $TERN -F $DEMO/config"
echo "(? lists the keys, q quits.) Stop the servers with: make demo-stop"
if [ -t 0 ] && [ -t 1 ]; then
  sleep 1
  HOME="$DEMO/home" XDG_DATA_HOME="$DEMO/home/data" "$TERN" -F "$DEMO/config" || true
else
  echo "(not on a terminal: the reader is not opened; tern ls shows the INBOX instead)"
  HOME="$DEMO/home" XDG_DATA_HOME="$DEMO/home/data" "$TERN" -F "$DEMO/config" ls -a demo | head -25
fi
echo "Stop them with: make demo-stop"
