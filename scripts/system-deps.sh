#!/usr/bin/env bash
# Install the system pieces a fresh Debian/Ubuntu machine lacks, or say exactly how to.
set -euo pipefail
missing=()
# grep reads all its input (no -q): with pipefail, a grep that quits at the first match would make the lister
# die of SIGPIPE and a piece that is there look missing.
fc-list ':lang=ja' family 2>/dev/null | grep 'Noto Serif CJK JP' >/dev/null || missing+=(fonts-noto-cjk)
ldconfig -p 2>/dev/null | grep 'libharfbuzz-subset.so.0' >/dev/null || missing+=(libharfbuzz-subset0)
ldconfig -p 2>/dev/null | grep 'libpango-1.0.so.0' >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing system packages. Run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
