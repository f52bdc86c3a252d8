# tests/integration/send.sh with Cyrus for IMAP and POP3 (the "mta-cyrus"
# server instance; the Python SMTP server delivers into Cyrus's LMTP).
SEND_INSTANCE=mta-cyrus
# shellcheck source=tests/integration/send.sh
. "$(dirname "$0")/send.sh"
