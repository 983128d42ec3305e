#!/usr/bin/env bash
# Start the team server of deploy/compose.yaml as local processes on this machine,
# check it through nginx over HTTPS, and stop everything again.
#
#   bash deploy/run-local.sh            # start, check, stop
#   KEEP=1 bash deploy/run-local.sh     # start and check, leave it running
#
# Needs: PostgreSQL's server programs (apt-get install postgresql), nginx
# (apt-get install nginx-light), openssl, and upstream installed with the
# postgres and dask extras (make setup-dev). Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=${ROOT:-/tmp/upstream-deploy}
BIN=${BIN:-.venv/bin}
PG_PORT=${PG_PORT:-55432}
WEB_PORT=${WEB_PORT:-8000}
HTTPS_PORT=${HTTPS_PORT:-8443}
DASK_PORT=${DASK_PORT:-8786}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
OWNER=owner@example.org
PASSWORD=${PASSWORD:-change-this-password}
export UPSTREAM_DB="postgresql+psycopg://upstream@127.0.0.1:${PG_PORT}/upstream"
export UPSTREAM_UPLOAD_DIR="$ROOT/uploads" UPSTREAM_VECTOR_DIR="$ROOT/vectors"
export UPSTREAM_JOBS=queue UPSTREAM_SCHEDULER="tcp://127.0.0.1:${DASK_PORT}"
mkdir -p "$ROOT/logs" "$ROOT/tls" "$ROOT/uploads"
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then  # PostgreSQL will not run as root
  as_postgres=(runuser -u postgres --)
  touch "$ROOT/logs/postgres.log"
  chown postgres "$ROOT" "$ROOT/logs/postgres.log"
fi
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -f "$ROOT/nginx.pid" ] && kill "$(cat "$ROOT/nginx.pid")" 2>/dev/null || true
  "${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$ROOT/pg" -m fast -w stop >/dev/null 2>&1 || true
}
[ -n "${KEEP:-}" ] || trap stop EXIT

echo "1. PostgreSQL on 127.0.0.1:${PG_PORT}"
if [ ! -d "$ROOT/pg" ]; then
  "${as_postgres[@]}" "$PG_BIN/initdb" -D "$ROOT/pg" -U postgres --auth=trust -E UTF8 >/dev/null
fi
"${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$ROOT/pg" -l "$ROOT/logs/postgres.log" -w \
  -o "-p ${PG_PORT} -k $ROOT -c listen_addresses=127.0.0.1" start >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
  "SELECT 1 FROM pg_roles WHERE rolname = 'upstream'" | grep -q 1 ||
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE ROLE upstream LOGIN"
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'upstream'" | grep -q 1 ||
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE upstream OWNER upstream"

echo "2. Migrate, import the demo consultation, add the first owner"
"$BIN/upstream" db upgrade
"$BIN/upstream" import src/upstream/demo/data/consultation_replies.csv --workspace Consultation \
  --org "Tansy Borough Council" --text-column text --id-column reply_id --date-column date
"$BIN/upstream" users add "$OWNER" --workspace Consultation --role owner --password "$PASSWORD"

echo "3. Dask scheduler and a worker (2 processes)"
"$BIN/dask" scheduler --host 127.0.0.1 --port "$DASK_PORT" --dashboard-address 127.0.0.1:0 \
  >"$ROOT/logs/dask-scheduler.log" 2>&1 &
pids+=($!)
sleep 3
"$BIN/dask" worker "tcp://127.0.0.1:${DASK_PORT}" --host 127.0.0.1 --nworkers 2 --nthreads 1 \
  --memory-limit 2GiB --dashboard-address 127.0.0.1:0 >"$ROOT/logs/dask-worker.log" 2>&1 &
pids+=($!)

echo "4. Job worker and two web processes"
"$BIN/upstream" jobs worker --threads 2 >"$ROOT/logs/jobs.log" 2>&1 &
pids+=($!)
"$BIN/upstream" serve --host 127.0.0.1 --port "$WEB_PORT" --workers 2 >"$ROOT/logs/web.log" 2>&1 &
pids+=($!)

echo "5. nginx with a self-signed certificate on https://127.0.0.1:${HTTPS_PORT}"
if [ ! -f "$ROOT/tls/fullchain.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$ROOT/tls/privkey.pem" -out "$ROOT/tls/fullchain.pem" 2>/dev/null
fi
sed -e "s#server web:8000;#server 127.0.0.1:${WEB_PORT};#" \
  -e "s#listen 80;#listen 127.0.0.1:$((HTTPS_PORT - 363));#" \
  -e "s#listen 443 ssl http2;#listen 127.0.0.1:${HTTPS_PORT} ssl http2;#" \
  -e "s#/etc/nginx/tls/#$ROOT/tls/#g" deploy/nginx.conf >"$ROOT/upstream.conf"
cat >"$ROOT/nginx.conf" <<NGINX
worker_processes 1;
pid $ROOT/nginx.pid;
error_log $ROOT/logs/nginx-error.log;
events { worker_connections 256; }
http {
  access_log $ROOT/logs/nginx-access.log;
  client_body_temp_path $ROOT/nginx-body;
  proxy_temp_path $ROOT/nginx-proxy;
  include $ROOT/upstream.conf;
}
NGINX
nginx -t -c "$ROOT/nginx.conf" 2>/dev/null
nginx -c "$ROOT/nginx.conf"

echo "6. Check it through the proxy"
up=""
for _ in $(seq 600); do  # the web processes take seconds to start, minutes on a busy machine
  if curl -fsS --cacert "$ROOT/tls/fullchain.pem" "https://127.0.0.1:${HTTPS_PORT}/healthz" \
    >/dev/null 2>&1; then up=yes; break; fi
  sleep 1
done
[ -n "$up" ] || { echo "the web processes did not answer through nginx" >&2; exit 1; }
"$BIN/python" deploy/smoke_check.py "https://127.0.0.1:${HTTPS_PORT}" --ca "$ROOT/tls/fullchain.pem" \
  --email "$OWNER" --password "$PASSWORD"
