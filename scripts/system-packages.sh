#!/usr/bin/env bash
# Debian packages the sector page (WeasyPrint: Pango, HarfBuzz-Subset, a font) and its tests (poppler-utils:
# pdftotext, pdftoppm) need, and the headless browser of the Dagster UI test (chromium), installed with apt-get
# when missing. Run by the README's test command and .ci/run.
# Elsewhere (macOS, no root) it names what to install and goes on: only the PDF report, the UI test and their
# tests need them.
set -euo pipefail
missing=()
have_lib() { { ldconfig -p 2>/dev/null || true; } | grep -q "$1"; }
have_lib libpango-1.0.so.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
have_lib libharfbuzz-subset.so.0 || missing+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
{ command -v pdftotext && command -v pdftoppm; } >/dev/null 2>&1 || missing+=(poppler-utils)
{ command -v chromium || command -v chromium-browser; } >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  echo "installing Debian packages for the PDF sector page and the UI test: ${missing[*]}" >&2
  if $sudo apt-get update -qq && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; then
    exit 0
  fi
fi
echo "note: the PDF sector page, the UI test and their tests need: ${missing[*]} (Debian names; on macOS: brew install pango poppler chromium)" >&2
