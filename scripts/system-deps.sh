#!/usr/bin/env bash
# Installs the Debian packages vanban's optional readers and the test suite use:
# antiword (.doc), LibreOffice (.doc fallback, fixtures), Tesseract + Vietnamese model (OCR),
# PostgreSQL (the shared-server backend), Chromium (browser tests).
# Runs only as root with apt-get; otherwise prints what is missing and carries on.
set -u
pkgs=(antiword libreoffice-writer-nogui fonts-dejavu tesseract-ocr tesseract-ocr-vie poppler-utils
      postgresql postgresql-contrib chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "system-deps: installing ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: not root, skipping apt-get; missing: ${missing[*]} (tests that need them are skipped)"
fi
