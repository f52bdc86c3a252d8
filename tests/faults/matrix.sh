# "Nothing lost" as a figure: tern sync killed with SIGKILL at random moments
# against the real Dovecot of the "faults" server instance
# (tests/faults/kill_sync.py), and the states a killed sync leaves made on
# purpose with messages that share a Message-ID (tests/faults/twins.py); a
# POP3 download with leave_on_server = no killed the same way
# (tests/faults/kill_pop3.py, half as many sessions); tern send and the
# outbox drain killed while sending to two recipients (tests/faults/kill_send.py);
# tern sync through a loopback proxy that cuts the connection after a random
# number of bytes (tests/faults/cut_sync.py, half as many sessions).
#
#   FAULT_SESSIONS (4)  sessions, each a fresh store and freshly filled folders
#   FAULT_KILLS (12)    kills per session
#   FAULT_SEED          the first session's seed (else one from the clock);
#                       session i uses FAULT_SEED + i, and each prints its seed
#                       and window: kill_sync.py --seed N --window W replays it
# `make check` runs the defaults; `make faults` 10 sessions of 20 kills.
. "$(dirname "$0")/../lib.sh"

T=$TERN_TEST_TMP
SRV=$T/faults
# shellcheck disable=SC1090
. "$SRV/ports"
SESSIONS=${FAULT_SESSIONS:-4} KILLS=${FAULT_KILLS:-12}
SEED=${FAULT_SEED:-$(( $(date +%s) % 1000000 ))}
runs=0 lost=0 duplicated=0 wrong=0

for i in $(seq 0 $((SESSIONS - 1))); do
  seed=$((SEED + i))
  begin "tern sync killed $KILLS times at random (seed $seed), then two complete syncs: every message once here, byte for byte, local flag changes, deletions, moves, copies and saves on the server, each UID mapped to its own bytes"
  out=$(timeout 400 python3 tests/faults/kill_sync.py --tern "$TERN" --port "$SAVED_IMAPS_PORT" --ca "$SRV/tls/ca.pem" \
        --work "$T/faults-work" --seed "$seed" --kills "$KILLS" 2>&1) || bad "$out"
  summary=$(printf '%s\n' "$out" | grep '^seed ' | head -1)
  [ -n "$summary" ] || bad "no summary from kill_sync.py"
  echo "     $summary"
  runs=$((runs + KILLS))
  lost=$((lost + $(printf '%s' "$summary" | sed -nE 's/.* ([0-9]+) lost,.*/\1/p' | grep . || echo 1)))
  duplicated=$((duplicated + $(printf '%s' "$summary" | sed -nE 's/.* ([0-9]+) duplicated,.*/\1/p' | grep . || echo 1)))
  wrong=$((wrong + $(printf '%s' "$summary" | sed -nE 's/.* ([0-9]+) wrongly mapped,.*/\1/p' | grep . || echo 1)))
  end
done

for i in $(seq 0 $(( (SESSIONS + 1) / 2 - 1 ))); do
  seed=$((SEED + 1000 + i))
  begin "a POP3 download (leave_on_server = no) killed $KILLS times at random (seed $seed): every message here once, none left on the server"
  out=$(timeout 400 python3 tests/faults/kill_pop3.py --tern "$TERN" --port "$SAVED_IMAPS_PORT" --pop3s "$SAVED_POP3S_PORT" \
        --ca "$SRV/tls/ca.pem" --work "$T/faults-pop3" --seed "$seed" --kills "$KILLS" 2>&1) || bad "$out"
  summary=$(printf '%s\n' "$out" | grep '^seed ' | head -1)
  [ -n "$summary" ] || bad "no summary from kill_pop3.py"
  echo "     $summary"
  runs=$((runs + KILLS))
  lost=$((lost + $(printf '%s' "$summary" | sed -nE 's/.* ([0-9]+) lost,.*/\1/p' | grep . || echo 1)))
  duplicated=$((duplicated + $(printf '%s' "$summary" | sed -nE 's/.* ([0-9]+) duplicated,.*/\1/p' | grep . || echo 1)))
  end
done

for i in $(seq 0 $(( (SESSIONS + 1) / 2 - 1 ))); do
  seed=$((SEED + 3000 + i))
  begin "tern sync through a proxy that cuts the connection after a random number of bytes, $KILLS times (seed $seed): each run ends with a short error, then nothing is lost or twice"
  out=$(timeout 400 python3 tests/faults/cut_sync.py --tern "$TERN" --port "$SAVED_IMAPS_PORT" --ca "$SRV/tls/ca.pem" \
        --work "$T/faults-cut" --seed "$seed" --cuts "$KILLS" 2>&1) || bad "$out"
  summary=$(printf '%s\n' "$out" | grep '^seed ' | head -1)
  [ -n "$summary" ] || bad "no summary from cut_sync.py"
  echo "     $summary"
  runs=$((runs + KILLS))
  lost=$((lost + $(printf '%s' "$summary" | sed -nE 's/.* ([0-9]+) lost,.*/\1/p' | grep . || echo 1)))
  duplicated=$((duplicated + $(printf '%s' "$summary" | sed -nE 's/.* ([0-9]+) duplicated,.*/\1/p' | grep . || echo 1)))
  wrong=$((wrong + $(printf '%s' "$summary" | sed -nE 's/.* ([0-9]+) wrongly mapped,.*/\1/p' | grep . || echo 1)))
  end
done

seed=$((SEED + 2000))
begin "tern send and the outbox drain killed $((2 * KILLS)) times at random (seed $seed), two recipients each: every message tern took reaches both, nobody gets one twice outside the SMTP window, each has its Sent copy"
out=$(timeout 400 python3 tests/faults/kill_send.py --tern "$TERN" --port "$SAVED_IMAPS_PORT" --smtps "$SAVED_SMTPS_PORT" \
      --ca "$SRV/tls/ca.pem" --spool "$SRV/spool" --work "$T/faults-send" --seed "$seed" --kills $((2 * KILLS)) 2>&1) || bad "$out"
summary=$(printf '%s\n' "$out" | grep '^seed ' | head -1)
[ -n "$summary" ] || bad "no summary from kill_send.py"
echo "     $summary"
runs=$((runs + 2 * KILLS))
lost=$((lost + $(printf '%s' "$summary" | sed -nE 's/.* ([0-9]+) lost,.*/\1/p' | grep . || echo 1)))
duplicated=$((duplicated + $(printf '%s' "$summary" | sed -nE 's/.* ([0-9]+) sent twice,.*/\1/p' | grep . || echo 1)))
end

begin "messages sharing a Message-ID: rows lost as a killed fetch loses them, --rebuild, a lost APPEND answer, a lost COPY answer: none swapped, fetched, uploaded or copied twice"
out=$(timeout 300 python3 tests/faults/twins.py --tern "$TERN" --port "$SAVED_IMAPS_PORT" --ca "$SRV/tls/ca.pem" --work "$T/faults-twins" 2>&1) ||
  bad "$out"
end

echo "faults: $runs runs, $lost lost, $duplicated duplicated, $wrong wrongly mapped"
rm -rf "$T/faults-work" "$T/faults-twins" "$T/faults-pop3" "$T/faults-send" "$T/faults-cut"
