#!/usr/bin/env bash
# The deploy test puts Debian's nginx in front of the app on loopback. Installs it when it is missing and
# we are root (nginx-light is enough: proxy, gzip, map, upstream); otherwise the test skips and says why.
set -euo pipefail
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's nginx for the deploy test…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  # The package starts a system nginx on port 80; the test runs its own, so the system one is not needed.
  if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then systemctl stop nginx || true; fi
else
  echo "warning: nginx is missing; the deploy test will skip (sudo apt-get install nginx-light)" >&2
fi
