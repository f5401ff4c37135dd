#!/bin/sh
# The browser tests drive Debian's Chromium, and Chinese needs CJK fonts (without them it renders
# as empty boxes). Installs both where it can (as root, with apt); otherwise says in one line
# what to install, and stops. Skipped when the run leaves the browser tests out.
case "${PYTEST_ARGS:-}" in *"not browser"*) exit 0 ;; esac

ready() { [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; }
ready && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[riskops] installing chromium and fonts-noto-cjk for the browser tests"
  apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1
  ready && exit 0
fi

echo "make test: the browser tests need /usr/bin/chromium and CJK fonts; install them (Debian: apt-get install chromium fonts-noto-cjk) or run make test PYTEST_ARGS='-m \"not browser\"'" >&2
exit 1
