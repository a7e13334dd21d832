#!/usr/bin/env bash
# Debian packages Peacebuild's tests need: Chromium for the browser tests, gettext for
# catalogue checks, Pango for WeasyPrint's PDFs, Noto fonts that cover Latin, Cyrillic,
# Chinese and Arabic, and poppler-utils to read PDFs back. Installs only what is missing;
# uses sudo when not root.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v msgfmt >/dev/null || need+=(gettext)
command -v pdftotext >/dev/null || need+=(poppler-utils)
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
