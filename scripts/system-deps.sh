#!/usr/bin/env bash
# Debian packages Peacebuild needs, installed only when missing (sudo when not root).
#   scripts/system-deps.sh runtime   what the product needs: pg_dump and pg_restore (backups),
#                                    Pango and Cairo for PDFs and
#                                    pictures, Noto fonts for Latin, Cyrillic, Chinese, Arabic
#   scripts/system-deps.sh           that, plus what the tests need: Chromium for the browser
#                                    tests, gettext for the catalogue checks, poppler-utils
#                                    to read PDFs back, and PostgreSQL's server binaries
#                                    (any version) for the replication tests, which start
#                                    their own throw-away clusters
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 postgresql-client
          fonts-noto-core fonts-noto-cjk)
if [ "${1:-all}" != "runtime" ]; then
  packages+=(chromium gettext poppler-utils)
  # The replication tests run initdb, pg_ctl and pg_basebackup (tests/pgcluster.py).
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || packages+=(postgresql)
fi
need=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
