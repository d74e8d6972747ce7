#!/usr/bin/env bash
# Serves the app on HOST:PORT together with a Celery worker and Celery beat; Ctrl-C stops all three in seconds.
#   scripts/run-dev.sh [HOST] [PORT] [ADDRESS]
# ADDRESS is what people open (http://HOST:PORT unless given); links in emails use it too, unless SITE_URL is set
# in the environment.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
served=${3:-http://$host:$port}
export SITE_URL="${SITE_URL:-$served}"
# Seconds the worker is given to finish the task in hand (a warm shutdown) before it is told to stop at once.
grace=${RUN_DEV_STOP_GRACE:-3}
if [[ ! $grace =~ ^[0-9]{1,3}$ ]]; then
  echo "RUN_DEV_STOP_GRACE must be a whole number of seconds, not '$grace'." >&2
  exit 2
fi
cd "$(dirname "$0")/.."
mkdir -p var/broker/queue var/broker/processed
celery=.venv/bin/celery

# Each process gets a process group of its own (job control), so Ctrl-C reaches only this script, which then
# stops them: the web server and beat with TERM; the worker with TERM (Celery's warm shutdown: it finishes the task
# in hand) and, if it is still running after $grace seconds, QUIT (its cold shutdown: a running task is abandoned and
# delivered again later, since tasks are acknowledged late). Two seconds after that, whatever is left is killed.
set -m
pids=()
worker=

alive() {
  local pid
  for pid in "${pids[@]}"; do
    if kill -0 -- "-$pid" 2>/dev/null; then return 0; fi
  done
  return 1
}

wait_until_gone() {
  local tenths=$(($1 * 10))
  while ((tenths > 0)) && alive; do
    sleep 0.1
    tenths=$((tenths - 1))
  done
}

stop() {
  trap - INT TERM EXIT
  echo "Stopping the web server, the Celery worker and beat..."
  local pid
  for pid in "${pids[@]}"; do
    if [[ $pid == "$worker" ]]; then
      kill -TERM "$pid" 2>/dev/null || true  # the worker's main process stops its pool itself
    else
      kill -TERM -- "-$pid" 2>/dev/null || true
    fi
  done
  wait_until_gone "$grace"
  if [[ -n $worker ]] && kill -0 "$worker" 2>/dev/null; then
    kill -QUIT "$worker" 2>/dev/null || true
    wait_until_gone 2
  fi
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

$celery -A actionplan worker --loglevel=INFO --concurrency=2 &
worker=$!
pids+=("$worker")
$celery -A actionplan beat --loglevel=INFO &
pids+=("$!")
.venv/bin/python manage.py runserver "$host:$port" &
pids+=("$!")

echo "Serving $served/ with a Celery worker and beat (Ctrl-C to stop)."
wait -n "${pids[@]}"
