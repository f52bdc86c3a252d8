# tern in a private tmux server, for the suites that read the screen
# (tests/ui, tests/faults): source after tests/lib.sh.
#
#   TM new-session -d -s ui -x 100 -y 30 "tern ..."   the session is named "ui"
#   keys l; keys C-u "~s foo" Enter                    send keys, then settle
#   wait_for "Lim:1" [SECONDS]                         until the screen shows it
#   screen                                             what it shows now
SOCK=tern-test-$$-$RANDOM
TM() { tmux -L "$SOCK" "$@"; }
# the server exits after kill-server returns: a new session started before it
# is gone meets the dying server ("server exited unexpectedly")
cleanup_tmux() {
  local i=0 pid
  pid=$(TM display-message -p '#{pid}' 2>/dev/null)
  TM kill-server >/dev/null 2>&1 || true
  [ -n "$pid" ] || return 0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
}
trap 'cleanup_tmux; report' EXIT

screen() { TM capture-pane -p -t ui 2>/dev/null; }
keys() { TM send-keys -t ui "$@"; sleep 0.3; }
expect_screen() { case "$(screen)" in *"$1"*) ;; *) bad "screen lacks: $1" ;; esac; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT
wait_for() {
  local i=0 limit=$(( ${2:-20} * 10 ))
  while [ $i -lt $limit ]; do
    case "$(screen)" in *"$1"*) return 0 ;; esac
    sleep 0.1; i=$((i + 1))
  done
  bad "the screen never showed: $1"
  screen | sed 's/^/     | /' | head -40
  return 1
}
