#!/usr/bin/env bash
# Install what the browser tests need on a fresh Debian machine: Debian's Chromium and the
# Python Playwright client. Playwright's own browser download (`playwright install`) is not
# used; the tests start /usr/bin/chromium.
#
# Usage: bash tests/browser/setup.sh   (as root, from any folder). Playwright is also in the
# project's test extras, so `make test` installs it when it builds .venv. This script adds it
# to a .venv that was built before.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x /usr/bin/chromium ]; then
    apt-get update
    apt-get install -y chromium
fi
/usr/bin/chromium --version

PYTHON="${PYTHON:-.venv/bin/python}"
if [ -x "$PYTHON" ]; then
    if ! "$PYTHON" -c "import playwright" 2>/dev/null; then
        "$PYTHON" -m pip install --quiet playwright
    fi
    "$PYTHON" -c "from importlib.metadata import version; print('playwright', version('playwright'))"
else
    echo "No $PYTHON yet: make test builds it with the test extras, which include playwright."
fi
