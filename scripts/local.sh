#!/usr/bin/env bash
# Runs the three services as local processes against the local PostgreSQL and RabbitMQ (no Docker, no Consul:
# order-service finds the others through Stork's static addresses on localhost).
#
#   scripts/local.sh up              build if needed, create the databases, start every service not running, wait
#   scripts/local.sh down            stop the services this script started
#   scripts/local.sh status          pid, port and readiness of each service
#   scripts/local.sh start SERVICE   start one service (if not running) and wait until it is ready
#   scripts/local.sh stop SERVICE    stop one service (SIGTERM; KILL=1 for kill -9), e.g. to watch its circuit open
#
# Logs and pid files go to logs/ (git-ignored). Settings come from the environment, as in docker compose:
# DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, RABBITMQ_HOST, RABBITMQ_PORT, JAVA_OPTS, and any Quarkus property.
# RESILIENCE_SERVICE_TOKEN (order-service -> payment-service, Authorization: Bearer) defaults to a local demo value;
# RESILIENCE_ADMIN_TOKEN (operator endpoints) stays unset unless you set it.
#
# Class data sharing (CDS=0 turns it off): the first run of a build records the classes it loads, written to logs/
# when it is stopped (not when killed); later runs map them instead of loading them again, which takes about a
# third off the startup time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
logs="$root/logs"
services=(user-service payment-service order-service)
declare -A port=([user-service]=8081 [order-service]=8082 [payment-service]=8083)
declare -A database=([user-service]=users [order-service]=orders [payment-service]=payments)
java_opts=${JAVA_OPTS:--Xmx128m -XX:+UseSerialGC}
# The same service token for every service, or payment-service refuses order-service's charges (demo-grade secret).
export RESILIENCE_SERVICE_TOKEN=${RESILIENCE_SERVICE_TOKEN:-local-demo-service-token}

jar() { echo "$root/$1/target/quarkus-app/quarkus-run.jar"; }
pidfile() { echo "$logs/$1.pid"; }

# cds_opts SERVICE -> the JVM option that records (first run of this build) or uses its class archive
cds_opts() {
  [[ ${CDS:-1} == 1 ]] || return 0
  local archive; archive="$logs/$1-$(stat -c %Y "$(jar "$1")").jsa"
  if [[ -f $archive ]]; then
    echo "-XX:SharedArchiveFile=$archive"
  else
    rm -f "$logs/$1"-*.jsa # an archive of an older build would be refused
    echo "-XX:ArchiveClassesAtExit=$archive -Xlog:cds=off" # no line per class it leaves out
  fi
}

running_pid() {
  local f; f=$(pidfile "$1")
  [[ -f $f ]] || return 1
  local pid; pid=$(<"$f")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

ready() { curl -fs -o /dev/null --max-time 2 "http://localhost:${port[$1]}/q/health/ready"; }

build_if_needed() {
  local missing=0
  for s in "${services[@]}"; do [[ -f $(jar "$s") ]] || missing=1; done
  if (( missing )); then
    echo "Building the services (./mvnw -DskipTests package) ..."
    (cd "$root" && ./mvnw -B -q -DskipTests package)
  fi
}

create_databases() {
  local host=${DB_HOST:-127.0.0.1} dbport=${DB_PORT:-5432} user=${DB_USER:-postgres}
  for s in "${services[@]}"; do
    local db=${database[$s]}
    if ! PGPASSWORD=${DB_PASSWORD:-} psql -h "$host" -p "$dbport" -U "$user" -d postgres -tAc \
        "select 1 from pg_database where datname = '$db'" | grep -q 1; then
      PGPASSWORD=${DB_PASSWORD:-} psql -h "$host" -p "$dbport" -U "$user" -d postgres -qc "create database $db"
      echo "Created database $db"
    fi
  done
}

start() {
  local s=$1
  if pid=$(running_pid "$s"); then
    echo "$s already running (pid $pid)"
    return
  fi
  if ready "$s"; then
    echo "$s: something else already answers on port ${port[$s]}; not starting a second one" >&2
    return 1
  fi
  # shellcheck disable=SC2086
  nohup java $java_opts $(cds_opts "$s") -jar "$(jar "$s")" >>"$logs/$s.log" 2>&1 &
  echo $! >"$(pidfile "$s")"
  echo "Started $s (pid $!), log: logs/$s.log"
}

wait_ready() {
  local s=$1 deadline=$((SECONDS + 60))
  until ready "$s"; do
    if ! running_pid "$s" >/dev/null; then
      echo "$s exited; last lines of logs/$s.log:" >&2
      tail -n 20 "$logs/$s.log" >&2
      return 1
    fi
    (( SECONDS < deadline )) || { echo "$s not ready after 60 s (see logs/$s.log)" >&2; return 1; }
    sleep 0.5
  done
}

stop() {
  local s=$1 pid
  if ! pid=$(running_pid "$s"); then
    echo "$s is not running"
    rm -f "$(pidfile "$s")"
    return
  fi
  if [[ ${KILL:-0} == 1 ]]; then kill -9 "$pid"; else kill "$pid"; fi
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done # a first run writes its archive
  rm -f "$(pidfile "$s")"
  echo "Stopped $s (pid $pid)"
}

case ${1:-} in
  up)
    mkdir -p "$logs"
    build_if_needed
    create_databases
    for s in "${services[@]}"; do start "$s"; done
    for s in "${services[@]}"; do wait_ready "$s"; done
    echo
    for s in "${services[@]}"; do
      printf '%-16s http://localhost:%s  (Swagger UI: http://localhost:%s/q/swagger-ui)\n' "$s" "${port[$s]}" "${port[$s]}"
    done
    ;;
  down)
    for s in "${services[@]}"; do stop "$s"; done
    ;;
  start|stop)
    [[ -n ${2:-} && -n ${port[${2}]:-} ]] || { echo "usage: $0 $1 user-service|order-service|payment-service" >&2; exit 2; }
    if [[ $1 == start ]]; then
      mkdir -p "$logs"
      build_if_needed
      create_databases
      start "$2"
      wait_ready "$2"
    else
      stop "$2"
    fi
    ;;
  status)
    for s in "${services[@]}"; do
      if pid=$(running_pid "$s"); then
        if ready "$s"; then state=ready; else state=starting; fi
        printf '%-16s pid %-7s port %s  %s\n' "$s" "$pid" "${port[$s]}" "$state"
      else
        printf '%-16s %-11s port %s\n' "$s" "stopped" "${port[$s]}"
      fi
    done
    ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
