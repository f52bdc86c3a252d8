# tests/ui/reader.sh against Cyrus IMAP (the "ui-cyrus" server instance,
# Debian's layout: separator '.', folders under "INBOX.").
READER_INSTANCE=ui-cyrus
# shellcheck source=tests/ui/reader.sh
. "$(dirname "$0")/reader.sh"
