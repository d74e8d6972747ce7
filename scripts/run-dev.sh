#!/usr/bin/env bash
# Serves the app on HOST:PORT together with a Celery worker and Celery beat; Ctrl-C stops all three.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
cd "$(dirname "$0")/.."
mkdir -p var/broker/queue var/broker/processed
celery=.venv/bin/celery

pids=()
stop() {
  trap - INT TERM EXIT
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$celery -A actionplan worker --loglevel=INFO --concurrency=2 &
pids+=($!)
$celery -A actionplan beat --loglevel=INFO &
pids+=($!)
.venv/bin/python manage.py runserver "$host:$port" &
pids+=($!)

echo "Serving http://$host:$port/ with a Celery worker and beat (Ctrl-C to stop)."
wait -n "${pids[@]}"
