#!/usr/bin/env bash
# The README's walkthrough, run for real: each step prints what it does, the command and what came back, and the
# script exits non-zero as soon as a step does not show what the README promises.
#
#   scripts/demo.sh                        against local processes: restarts them with demo settings, walks through,
#                                          stops them (KEEP=1 leaves them running)
#   DEMO_TARGET=compose scripts/demo.sh    against the compose stack, already up (docker compose up --build --wait);
#                                          stops and restarts its containers, leaves the stack running
#
# Demo settings: payment-service's circuit waits 5 s instead of 60 s before probing, the operator token is set so
# fault injection can be shown, and the service token that order-service presents to payment-service is set. Locally
# this script sets them (scripts/local.sh gives every service the same service token); under compose they are the
# environment the stack was started with (RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__CIRCUIT_BREAKER_DELAY=5s docker
# compose up ...; the tokens have the compose file's demo values unless set), and RabbitMQ's demo credentials are used.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p logs
events_log=logs/demo-events.log
target=${DEMO_TARGET:-local}
export RESILIENCE_ADMIN_TOKEN=${RESILIENCE_ADMIN_TOKEN:-demo-admin-token}
orders=http://localhost:8082
watcher=

# How this target starts everything, stops one service hard, brings back what is stopped, and shows order-service's
# log; each prints the command it runs. Everything else below is the same for both targets.
case $target in
  local)
    export RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__CIRCUIT_BREAKER_DELAY=${RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__CIRCUIT_BREAKER_DELAY:-5s}
    export RESILIENCE_SERVICE_TOKEN=${RESILIENCE_SERVICE_TOKEN:-demo-service-token}
    start_all() { run scripts/local.sh down '&&' scripts/local.sh up; scripts/local.sh down >/dev/null; scripts/local.sh up; }
    kill_service() { run KILL=1 scripts/local.sh stop "$1"; KILL=1 scripts/local.sh stop "$1"; }
    bring_back() { run scripts/local.sh up; scripts/local.sh up >/dev/null; }
    order_log() { cat logs/order-service.log; }
    payment_url() { echo http://localhost:8083; }
    stop_all() { [[ ${KEEP:-0} == 1 ]] || scripts/local.sh down >/dev/null || true; }
    ;;
  compose)
    export RABBITMQ_USER=${RABBITMQ_USER:-demo} RABBITMQ_PASSWORD=${RABBITMQ_PASSWORD:-demo}
    start_all() { run docker compose up -d --wait; docker compose up -d --wait; }
    kill_service() { run docker compose kill "$1"; docker compose kill "$1"; }
    bring_back() { run docker compose up -d --wait; docker compose up -d --wait >/dev/null; }
    order_log() { docker compose logs --no-color order-service; }
    payment_url() { echo "http://$(docker compose port payment-service 8083 | head -n 1)"; }
    stop_all() { :; }
    ;;
  *) echo "DEMO_TARGET must be local or compose, was $target" >&2; exit 2 ;;
esac

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; }
ok() { printf '   \033[32mok\033[0m %s\n' "$*"; }
fail() { printf '   \033[31mFAILED\033[0m %s\n' "$*" >&2; exit 1; }

cleanup() {
  [[ -n $watcher ]] && kill "$watcher" 2>/dev/null || true
  stop_all
}
trap cleanup EXIT

# POST /orders for a user and amount; prints the HTTP status and the body on one line.
order() {
  local user=$1 price=${2:-12.50}
  curl -s -w ' HTTP %{http_code} %{time_total}s' "$orders/orders" -H 'Content-Type: application/json' \
    -d "{\"userId\":$user,\"currency\":\"EUR\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":1,\"unitPrice\":$price}]}"
}
field() { grep -o "\"$1\":[^,}]*" <<<"$2" | head -n 1 | cut -d: -f2- | tr -d '"'; }
circuit_state() {
  curl -s "$orders/resilience/circuits" | grep -o "\"name\":\"$1\",\"state\":\"[A-Z_]*\"" | cut -d'"' -f8
}
expect() { # expect DESCRIPTION ACTUAL EXPECTED
  if [[ $2 == "$3" ]]; then ok "$1: $2"; else fail "$1: expected $3, got '$2'"; fi
}
expect_in_log() { # expect_in_log DESCRIPTION PATTERN: a line of order-service's log, within 10 s
  local deadline=$((SECONDS + 10)) line
  until line=$(order_log | grep -E "$2" | tail -n 1) && [[ -n $line ]]; do
    (( SECONDS < deadline )) || fail "$1: no line matching '$2' in order-service's log"
    sleep 0.5
  done
  ok "$1: $(cut -c1-150 <<<"$line")"
}
expect_in_file() { # expect_in_file DESCRIPTION FILE PATTERN [seconds]
  local deadline=$((SECONDS + ${4:-10}))
  until grep -qE "$3" "$2"; do
    (( SECONDS < deadline )) || fail "$1: no line matching '$3' in $2"
    sleep 0.2
  done
  ok "$1: $(grep -E "$3" "$2" | tail -n 1 | cut -c1-150)"
}

step "1. Start everything ($target)"
start_all
run scripts/watch-events.sh '>' $events_log '&'
: >"$events_log"
scripts/watch-events.sh >"$events_log" 2>&1 &
watcher=$!
expect_in_file "event watcher" "$events_log" "Watching domain_events"

step "2. Place an order that is paid, one that is declined, and one for a blocked user"
run curl -s $orders/orders -d '{"userId":1,…"unitPrice":12.50…}'
answer=$(order 1 12.50); echo "   $answer"
expect "order for user 1" "$(field status "$answer")" CONFIRMED
paid=$(field id "$answer")
run curl -s $orders/orders -d '{"userId":2,…"unitPrice":1500…}'
answer=$(order 2 1500); echo "   $answer"
expect "order over the payment limit" "$(field status "$answer")" CANCELLED
declined=$(field id "$answer")
grep -q 'payment declined: amount 1500.00 exceeds the limit of 1000.00' <<<"$answer" || fail "decline reason missing"
ok "reason: $(field reason "$answer")"
run curl -s $orders/orders -d '{"userId":3,…}'
answer=$(order 3); echo "   $answer"
expect "order for blocked user 3" "$(grep -o 'HTTP [0-9]*' <<<"$answer")" "HTTP 422"
grep -q '/problems/user-blocked' <<<"$answer" || fail "problem type /problems/user-blocked missing"

run curl -s "$(payment_url)/payments" -d '{"orderId":…,"amount":0.01,…}' '# no service token'
answer=$(curl -s -o /dev/null -w 'HTTP %{http_code}' "$(payment_url)/payments" -H 'Content-Type: application/json' \
  -d "{\"orderId\":\"$paid\",\"userId\":1,\"amount\":0.01,\"currency\":\"EUR\"}")
expect "a charge without the service token" "$answer" "HTTP 401"

step "3. Every step is an event on domain_events"
expect_in_file "order.created" "$events_log" "order.created +order-service +$paid"
expect_in_file "payment.completed" "$events_log" "payment.completed +payment-service +$paid"
expect_in_file "order.confirmed" "$events_log" "order.confirmed +order-service +$paid"
expect_in_file "payment.declined" "$events_log" "payment.declined +payment-service +$declined"
expect_in_file "order.cancelled" "$events_log" "order.cancelled +order-service +$declined"

step "4. Stop payment-service and keep ordering: its circuit opens, orders are cancelled fast"
kill_service payment-service
for i in $(seq 1 8); do
  answer=$(order 1); echo "   $(field status "$answer") $(field reason "$answer") $(grep -o 'HTTP.*' <<<"$answer")"
  [[ $(circuit_state payment-service) == OPEN ]] && break
done
run curl -s $orders/resilience/circuits
expect "payment-service circuit" "$(circuit_state payment-service)" OPEN
answer=$(order 1); echo "   $answer"
expect "order while the circuit is open" "$(field reason "$answer")" "payment-service unavailable: circuit open"
took=$(grep -o 'HTTP [0-9]* [0-9.]*s' <<<"$answer" | awk '{print $3}' | tr -d s)
awk -v t="$took" 'BEGIN { exit !(t < 3.0) }' || fail "the open circuit should not wait for the 3 s timeout, took ${took}s"
ok "answered in ${took}s, without touching the network"
expect_in_log "log line" "Circuit payment-service: CLOSED -> OPEN"
expect_in_file "resilience.circuit.opened" "$events_log" "resilience.circuit.opened +order-service +payment-service"

step "5. Start payment-service again: after the delay the circuit goes half-open, then closed"
bring_back
# The circuit's delay (5 s in the demo settings, 60 s by default) plus the time to start and probe.
deadline=$((SECONDS + 90))
until [[ $(field status "$(order 1)") == CONFIRMED ]]; do
  (( SECONDS < deadline )) || fail "orders did not confirm again within 90 s"
  sleep 1
done
ok "orders confirm again"
expect "payment-service circuit" "$(circuit_state payment-service)" CLOSED
expect_in_file "resilience.circuit.half_opened" "$events_log" "resilience.circuit.half_opened +order-service +payment-service"
expect_in_file "resilience.circuit.closed" "$events_log" "resilience.circuit.closed +order-service +payment-service"

step "6. Stop user-service: a recently seen user is served from cache, an unknown one cannot be checked"
kill_service user-service
answer=$(order 1); echo "   $answer"
expect "order for recently seen user 1" "$(field status "$answer")" CONFIRMED
expect "user answered from cache" "$(field userFromCache "$answer")" true
answer=$(order 2000); echo "   $answer"
expect "order for a never seen user" "$(grep -o 'HTTP [0-9]*' <<<"$answer")" "HTTP 503"
bring_back

step "7. Make payment-service fail half of its calls: retries absorb most failures"
run curl -X PUT $orders/dashboard/faults -H 'X-Admin-Token: …' -d '{"latencyMillis":0,"failureRate":0.5,"down":false}'
curl -sf -X PUT "$orders/dashboard/faults" -H "X-Admin-Token: $RESILIENCE_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d '{"latencyMillis":0,"failureRate":0.5,"down":false}' >/dev/null || fail "could not set faults"
retries_before=$(curl -s "$orders/resilience/circuits" | grep -o '"name":"payment-service".*' | grep -o '"retries":[0-9]*' | head -n 1 | cut -d: -f2)
confirmed=0
for i in $(seq 1 8); do
  status=$(field status "$(order 1)"); echo "   $status"
  [[ $status == CONFIRMED ]] && confirmed=$((confirmed + 1))
done
retries_after=$(curl -s "$orders/resilience/circuits" | grep -o '"name":"payment-service".*' | grep -o '"retries":[0-9]*' | head -n 1 | cut -d: -f2)
curl -sf -X PUT "$orders/dashboard/faults" -H "X-Admin-Token: $RESILIENCE_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d '{"latencyMillis":0,"failureRate":0,"down":false}' >/dev/null
(( retries_after > retries_before )) || fail "no retries counted (before $retries_before, after $retries_after)"
ok "$confirmed of 8 orders confirmed; payment-service retries $retries_before -> $retries_after"

printf '\n\033[1mThe walkthrough showed everything the README promises.\033[0m\n'
