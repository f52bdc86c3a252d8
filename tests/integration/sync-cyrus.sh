# tests/integration/sync.sh against Cyrus IMAP (the "sync-cyrus" server
# instance, Debian's layout: separator '.', folders under "INBOX.").
SYNC_INSTANCE=sync-cyrus
# shellcheck source=tests/integration/sync.sh
. "$(dirname "$0")/sync.sh"
