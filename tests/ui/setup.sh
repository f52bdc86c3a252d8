# The interactive tern setup in tmux: the questions a person answers, the
# block written, and tern check passing at the end.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
# shellcheck disable=SC1090
. "$T/main/ports"
CA=$T/main/tls/ca.pem
W=$T/setup-ui
rm -rf "$W"; mkdir -p "$W"
SOCK=tern-setup-test-$$
TM() { tmux -L "$SOCK" "$@"; }
trap 'TM kill-server >/dev/null 2>&1 || true; report' EXIT
screen() { TM capture-pane -p -J -S -100 -t s 2>/dev/null; }
wait_for() {
  local i=0
  while [ $i -lt 200 ]; do
    case "$(screen)" in *"$1"*) return 0 ;; esac
    sleep 0.1; i=$((i + 1))
  done
  bad "the screen never showed: $1"; screen | tail -15 | sed 's/^/     | /'
  return 1
}
answer() { wait_for "$1" && TM send-keys -t s -l "$2" && TM send-keys -t s Enter; }

begin "interactive setup: name, address, IMAP, account, login, password command, CA; written and checked"
TM new-session -d -s s -x 150 -y 50 \
  "HOME=$W TERN_SETUP_HOSTS=127.0.0.1 TERN_SETUP_PORTS='imaps=$SAVED_IMAPS_PORT smtps=$SAVED_SMTPS_PORT smtp=$SAVED_SUBMISSION_PORT' $TERN -F $W/config setup; echo SETUP-EXIT=\$?; sleep 600"
answer "Your name:" "Test User"
answer "Your address:" "testuser@localhost"
wait_for "keeps folders and flags the same on every device"
answer "Receive with [imap]:" ""
answer "Account name" "lab"
answer "Login name [testuser@localhost]:" "testuser"
answer "Password command" "printf %s testpass"
answer "CA certificate file" "$CA"
wait_for "SETUP-EXIT=" 
wait_for "all checks passed"
wait_for "SETUP-EXIT=0"
grep -q '^account lab {' "$W/config" || bad "no account lab in the config"
grep -q 'from             = "Test User <testuser@localhost>"' "$W/config" || bad "from line"
end
