# Shared helpers for the shell suites (tests/static, tests/integration).
# A suite is a list of test cases:
#
#   begin "what this case shows"
#   run_tern check work          # sets OUT, ERR, RC
#   expect_rc 0; expect_out "all checks passed"; expect_err_not "secret"
#   end
#
# A case passes when every expectation in it holds. At exit the suite writes
# "PASSED FAILED" to $RESULT_FILE for tests/run-all.
set -u
PASSED=0 FAILED=0 CASE="" CASE_OK=1
export MAILCAPS=/dev/null   # the machine's mailcap must not change what tests see
OUT="" ERR="" RC=0

begin() { CASE=$1; CASE_OK=1; }
bad() { CASE_OK=0; echo "     $*"; }
end() {
  if [ "$CASE_OK" = 1 ]; then PASSED=$((PASSED + 1)); echo "ok   $CASE"
  else FAILED=$((FAILED + 1)); echo "FAIL $CASE"
       printf '     stdout: %s\n' "$(printf '%s' "$OUT" | tail -8)"
       printf '     stderr: %s\n' "$(printf '%s' "$ERR" | tail -4)"
  fi
}
report() { echo "$PASSED $FAILED" > "${RESULT_FILE:-/dev/null}"; }
trap report EXIT

# run_tern ARGS...: runs $TERN with a time limit; output in OUT/ERR, status in RC
run_tern() {
  local o e
  o=$(mktemp) e=$(mktemp)
  timeout 120 "$TERN" "$@" > "$o" 2> "$e"
  RC=$?
  OUT=$(cat "$o") ERR=$(cat "$e")
  rm -f "$o" "$e"
}

# without_trace FILE: a delivered message without what the way added at its top: Return-Path:
# (Dovecot's LMTP), Received: (Postfix, Cyrus), X-Cyrus-Session-Id: and X-Sieve: (Cyrus's LMTP)
without_trace() {
  awk 'top && /^(Return-Path|Received|X-Cyrus-Session-Id|X-Sieve):/ { skip = 1; next }
       top && skip && /^[ \t]/ { next }
       { top = 0; skip = 0; print }' top=1 "$1"
}

expect_rc() { [ "$RC" = "$1" ] || bad "exit status $RC, expected $1"; }
expect_out() { case "$OUT" in *"$1"*) ;; *) bad "stdout lacks: $1" ;; esac; }
expect_err() { case "$ERR" in *"$1"*) ;; *) bad "stderr lacks: $1" ;; esac; }
expect_out_not() { case "$OUT" in *"$1"*) bad "stdout has: $1" ;; esac; }
expect_err_not() { case "$ERR" in *"$1"*) bad "stderr has: $1" ;; esac; }
# expect_out_lines N: stdout has exactly N lines
expect_out_lines() {
  local n; n=$(printf '%s' "$OUT" | grep -c '')
  [ "$n" = "$1" ] || bad "stdout has $n lines, expected $1"
}
# expect_err_lines N: stderr has exactly N lines
expect_err_lines() {
  local n; n=$(printf '%s' "$ERR" | grep -c '')
  [ "$n" = "$1" ] || bad "stderr has $n lines, expected $1"
}
