#!/usr/bin/env bash
# Debian packages the platform needs: CJK fonts and the libraries WeasyPrint uses, gettext for
# compilemessages, and (with --browser) Chromium for the browser tests. Installs only what is missing;
# without root or apt-get it only reports what is missing.
set -euo pipefail
packages=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext poppler-utils)
if [ "${1:-}" = "--browser" ]; then packages+=(chromium); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "请安装以下系统软件包（missing Debian packages）: ${missing[*]}" >&2
  exit 0
fi
echo "安装系统软件包: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
