#!/usr/bin/env bash
# Print the path of a Chromium for the browser tests; install Debian's when it can.
#
#   tools/find_chromium.sh      # -> /usr/bin/chromium
#
# Looks at $CHROMIUM, then chromium, chromium-browser and google-chrome on PATH.  If none is
# there and this is root on a machine with apt-get, installs Debian's chromium.  Otherwise
# stops with one line saying what to install.
set -euo pipefail

for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$candidate" ] || continue
    if found="$(command -v "$candidate")"; then
        echo "$found"
        exit 0
    fi
done

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "No Chromium found: installing Debian's chromium for the browser tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium >&2
    command -v chromium
    exit 0
fi

echo "The browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium)" \
     "or set CHROMIUM=/path/to/chromium, then run make test again." >&2
exit 1
