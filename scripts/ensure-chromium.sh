#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (Playwright's own browser download cannot run here).
# Installs it when it is missing and we are root; otherwise says how.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "warning: /usr/bin/chromium is missing; browser tests will fail (sudo apt-get install chromium)" >&2
fi
