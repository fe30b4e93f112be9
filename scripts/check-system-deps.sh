#!/usr/bin/env bash
# CI must not pass by skipping: fail when a system tool the tests exercise is missing.
set -u
missing=()
for tool in antiword soffice tesseract pdftoppm chromium runuser; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=("initdb (postgresql)")
tesseract --list-langs 2>/dev/null | grep -qx vie || missing+=("tesseract vie model")
if [ ${#missing[@]} -gt 0 ]; then
  echo "check-system-deps: missing ${missing[*]}" >&2
  exit 1
fi
echo "check-system-deps: all present"
