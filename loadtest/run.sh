#!/usr/bin/env bash
# `make loadtest`: prepare the database in DATABASE_URL, start gunicorn on loopback, drive it with Locust
# headless for a bounded time, then stop everything this script started. See docs/performance.md.
#
# Settings (environment; the Makefile passes its variables through):
#   DATABASE_URL          PostgreSQL, seeded with `manage.py seed_demo --scale county` (required)
#   LOADTEST_USERS        concurrent users (100)            LOADTEST_SPAWN_RATE  users started a second (2)
#   LOADTEST_TIME         how long, Locust syntax (6m)      LOADTEST_THINK       think time min,max s (3,10)
#   LOADTEST_STEPS        a step load instead: start,step,seconds_per_step,max_users (e.g. 50,50,60,400)
#   LOADTEST_PORT         gunicorn's port on 127.0.0.1 (8055)
#   LOADTEST_WORKERS      gunicorn worker processes (3, as the Dockerfile)
#   LOADTEST_REDIS_URL    the cache, as in production (redis://127.0.0.1:6379/13; empty: local memory)
#   LOADTEST_DIR          cast, logs and reports (.loadtest)  LOADTEST_NAME  report file stem (run)
set -euo pipefail

cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY=$VENV/bin/python
DIR=${LOADTEST_DIR:-.loadtest}
NAME=${LOADTEST_NAME:-run}
PORT=${LOADTEST_PORT:-8055}
WORKERS=${LOADTEST_WORKERS:-3}
USERS=${LOADTEST_USERS:-100}
SPAWN_RATE=${LOADTEST_SPAWN_RATE:-2}
RUN_TIME=${LOADTEST_TIME:-6m}
HOST=http://127.0.0.1:$PORT

case "${DATABASE_URL:-}" in
    postgres://* | postgresql://*) ;;
    *)
        echo "make loadtest: set DATABASE_URL to a PostgreSQL database seeded at county scale, e.g." >&2
        echo "  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ecfs_county" >&2
        echo "  $PY manage.py migrate && $PY manage.py seed_demo --scale county   # ~7 minutes" >&2
        exit 2
        ;;
esac
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "make loadtest: something is already listening on 127.0.0.1:$PORT: set LOADTEST_PORT" >&2
    exit 2
fi

mkdir -p "$DIR"
export DJANGO_SETTINGS_MODULE=ecfs.settings.local DEBUG=False REDIS_URL=${LOADTEST_REDIS_URL-redis://127.0.0.1:6379/13}
export LOADTEST_CAST=$DIR/cast.json
"$PY" loadtest/prepare.py --out "$LOADTEST_CAST"

GUNICORN_PID=
stop() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null || true
        echo "loadtest: gunicorn stopped"
    fi
}
trap stop EXIT
trap 'exit 130' INT TERM

"$VENV/bin/gunicorn" ecfs.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --access-logfile "$DIR/$NAME-access.log" --error-logfile "$DIR/$NAME-gunicorn.log" &
GUNICORN_PID=$!
for _ in $(seq 60); do
    curl -fsS -o /dev/null "$HOST/healthz" 2>/dev/null && break
    kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "loadtest: gunicorn did not start: see $DIR/$NAME-gunicorn.log" >&2; exit 1; }
    sleep 0.5
done
echo "loadtest: gunicorn ($WORKERS workers) on $HOST, database $(basename "${DATABASE_URL%%\?*}")"

LOCUST_ARGS=(-f loadtest/locustfile.py --headless --host "$HOST" --stop-timeout 20
    --csv "$DIR/$NAME" --html "$DIR/$NAME.html" --only-summary)
if [ -n "${LOADTEST_STEPS:-}" ]; then
    echo "loadtest: step load $LOADTEST_STEPS (start,step,seconds,max users)"
else
    # The statistics start again once every user has started (and signed in at its first request): they
    # describe RUN_TIME at USERS users, minus the ramp (USERS / SPAWN_RATE seconds).
    LOCUST_ARGS+=(--users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" --reset-stats)
    echo "loadtest: $USERS users (80% workers, 15% managers, 5% commissioners) for $RUN_TIME"
fi
# CPU seconds used by gunicorn (master and workers): with the number of requests served, the Python CPU cost of
# a request, which does not depend on what else the machine runs. (PostgreSQL's share is not in it: its
# backends come and go with CONN_MAX_AGE.)
cpu_seconds() {
    local pids
    pids=$(pgrep -P "$GUNICORN_PID" | paste -sd, -)
    ps -o cputimes= -p "$GUNICORN_PID${pids:+,$pids}" | awk '{s += $1} END {print s + 0}'
}
requests_served() { wc -l < "$DIR/$NAME-access.log"; }
cpu_before=$(cpu_seconds) requests_before=$(requests_served) started=$(date +%s)
status=0
"$VENV/bin/locust" "${LOCUST_ARGS[@]}" || status=$?
cpu_after=$(cpu_seconds) requests_after=$(requests_served) elapsed=$(( $(date +%s) - started ))
awk -v c=$((cpu_after - cpu_before)) -v n=$((requests_after - requests_before)) -v t="$elapsed" \
    -v avg="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    printf "loadtest: %d requests in %d s used %d CPU s in gunicorn: %.0f ms of CPU a request, %.2f cores on average; load average %s\n", n, t, c, n ? 1000 * c / n : 0, t ? c / t : 0, avg }'
echo "loadtest: reports in $DIR/$NAME.html and $DIR/${NAME}_stats.csv (Locust exit $status: non-zero if any request failed)"
exit "$status"
