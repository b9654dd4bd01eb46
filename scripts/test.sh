#!/usr/bin/env bash
# Set up and run the whole test suite: unit, AppTest and headless-browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
# Browser tests (and PNG chart export) use Debian's chromium; browsers cannot be downloaded by playwright.
# The storage tests start a PostgreSQL server of their own from Debian's postgresql.
# The deck tests render slides to images with LibreOffice Impress and poppler's pdftoppm (without their
# recommended packages, which they do not need for that).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
# The Spark engine's tests run Spark in local mode, which needs a Java runtime.
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
renderers=()
command -v soffice >/dev/null 2>&1 || renderers+=(libreoffice-impress)
command -v pdftoppm >/dev/null 2>&1 || renderers+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ] || [ ${#renderers[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo="sudo"; }
  apt_install() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
  ($sudo apt-get update -qq \
    && { [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"; } \
    && { [ ${#renderers[@]} -eq 0 ] || apt_install --no-install-recommends "${renderers[@]}"; }) \
    || echo "warning: could not install ${missing[*]} ${renderers[*]}; the tests that need them will be skipped" >&2
fi
exec .venv/bin/python -m pytest "$@"
