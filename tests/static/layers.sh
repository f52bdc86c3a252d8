# Static checks of the source tree: layers point down only (DESIGN.md), and
# nothing outside ui/'s terminal wrapper includes curses.
. "$(dirname "$0")/../lib.sh"

# Each layer and the layers it may include.
allowed() {
  case $1 in
    util) echo "util" ;;
    core) echo "core util" ;;
    config) echo "config core util" ;;
    mime) echo "mime config core util" ;;
    crypto) echo "crypto mime config core util" ;;
    store) echo "store crypto mime config core util" ;;
    net) echo "net mime config core util" ;;
    sync) echo "sync net store crypto mime config core util" ;;
    cli) echo "cli sync net store crypto mime config core util" ;;
    ui) echo "ui sync net store crypto mime config core util" ;;
    *) echo "" ;;
  esac
}

begin "includes point down the layers (store and net do not include each other)"
for file in $(find src -mindepth 2 -name '*.[ch]pp' | sort); do
  layer=$(echo "$file" | cut -d/ -f2)
  ok=$(allowed "$layer")
  for inc in $(grep -hoE '^#include "[a-z_]+/' "$file" | sed -E 's/#include "//; s/\///'); do
    case " $ok " in *" $inc "*) ;; *) bad "$file includes $inc/ (layer $layer may use: $ok)" ;; esac
  done
done
end

begin "only ui/ includes curses"
hits=$(grep -rlE '#include <n?curses' src | grep -v '^src/ui/' || true)
[ -z "$hits" ] || bad "curses included in: $hits"
end

begin "every C handle is wrapped once: curl_easy_cleanup only in net/curl.hpp"
hits=$(grep -rl 'curl_easy_cleanup\|curl_slist_free_all' src | grep -v '^src/net/curl\.[ch]pp$' || true)
[ -z "$hits" ] || bad "raw cleanup in: $hits"
end

begin "GPGME is used in crypto/ only, its handles released in one file"
hits=$(grep -rl '<gpgme.h>' src | grep -v '^src/crypto/' || true)
[ -z "$hits" ] || bad "gpgme.h included in: $hits"
hits=$(grep -rl 'gpgme_release\|gpgme_data_release' src | grep -v '^src/crypto/gpgme_backend\.cpp$' || true)
[ -z "$hits" ] || bad "raw GPGME release in: $hits"
end

begin "man pages render without warnings (mandoc -T lint)"
for page in man/tern.1 man/tern.5; do
  out=$(mandoc -T lint -W warning "$page" 2>&1) || bad "$page: $out"
  [ -z "$out" ] || bad "$page: $out"
done
end

begin "make install (PREFIX, DESTDIR) puts the binary, both man pages and config.example in place; make uninstall removes them"
dest=$(mktemp -d)
if make --no-print-directory -s install DESTDIR="$dest" PREFIX=/opt/tern INSTALL_BIN="$TERN" > "$dest.log" 2>&1; then
  for f in bin/tern share/man/man1/tern.1 share/man/man5/tern.5 share/doc/tern/config.example; do
    [ -f "$dest/opt/tern/$f" ] || bad "not installed: $f"
  done
  "$dest/opt/tern/bin/tern" --version | grep -q '^tern ' || bad "the installed binary does not run"
  man -l "$dest/opt/tern/share/man/man1/tern.1" > /dev/null 2>&1 || true
  make --no-print-directory -s uninstall DESTDIR="$dest" PREFIX=/opt/tern > "$dest.log" 2>&1 || bad "make uninstall failed: $(cat "$dest.log")"
  left=$(find "$dest" -type f | head -3)
  [ -z "$left" ] || bad "left after uninstall: $left"
else
  bad "make install failed: $(tail -3 "$dest.log")"
fi
rm -rf "$dest" "$dest.log"
end
