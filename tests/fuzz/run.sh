# A bounded libFuzzer run of every target in tests/fuzz, seeded with
# tests/corpus (copied, so the seeds stay as they are). FUZZ_SECONDS per
# target (make check: 7; make fuzz: 60 unless set). A crash is a failure and
# leaves its input in build/fuzz/crashes/.
. "$(dirname "$0")/../lib.sh"

SECONDS_EACH=${FUZZ_SECONDS:-10}
mkdir -p build/fuzz/crashes
# target:max_len:seeds (globs joined by ":") — header values are short; huge seeds would only slow
# the header target down
for spec in fuzz_message:262144:tests/corpus/*.eml fuzz_pgp_mime:262144:tests/corpus/*.eml:tests/corpus/crypto/*.eml fuzz_header_words:16384:tests/corpus/*.eml \
            fuzz_imap_response:65536:tests/corpus/imap/*.imap fuzz_smtp_reply:16384:tests/corpus/smtp/*.smtp; do
  name=${spec%%:*} rest=${spec#*:}
  max_len=${rest%%:*} seeds=${rest#*:}
  target=build/fuzz/$name
  begin "fuzz $name for ${SECONDS_EACH}s without a crash"
  if [ ! -x "$target" ]; then
    bad "$target was not built"
  else
    work=$(mktemp -d)
    cp ${seeds//:/ } "$work/"   # seeds: globs joined by ":"
    if ! "$target" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
         -artifact_prefix=build/fuzz/crashes/ "$work" > "build/fuzz/$name.log" 2>&1; then
      bad "crash or timeout: see build/fuzz/$name.log and build/fuzz/crashes/"
      tail -5 "build/fuzz/$name.log"
    else
      echo "     $(grep -E '^(#[0-9]+|Done)' "build/fuzz/$name.log" | tail -1)"
    fi
    rm -rf "$work"
  fi
  end
done
