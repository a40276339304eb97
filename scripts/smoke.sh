#!/usr/bin/env bash
# Start the web server, check that the login page answers in Chinese, stop it.
set -euo pipefail
port=${1:-8000}
.venv/bin/gunicorn quality_platform.wsgi --bind 127.0.0.1:"$port" --workers 2 --daemon --pid .local/smoke.pid
trap 'kill "$(cat .local/smoke.pid)" 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do
  if curl -fsS "http://127.0.0.1:$port/accounts/login/" -o .local/smoke-login.html; then break; fi
  sleep 1
done
grep -q "登录" .local/smoke-login.html || { echo "登录页没有应答（login page did not answer）"; exit 1; }
echo "smoke: 登录页正常（login page answers on port $port）"
