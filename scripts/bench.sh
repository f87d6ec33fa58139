#!/usr/bin/env bash
# System benchmarks on local processes (scripts/local.sh), printed and written to docs/benchmarks.md ("System"):
#   - end-to-end POST /orders (3 hops, events, persistence) against a bare single hop (GET /q/health/live);
#   - fail-fast: POST /orders with payment-service down and its circuit open, against healthy, against the same
#     outage with the breaker disabled (a window no outage fills);
#   - time from kill -9 to OPEN and from restart to CLOSED;
#   - startup time and resident memory of each service after the load.
# Figures are compared within one run (ratios), never asserted in tests. Uses wrk (Debian package, installed if
# missing). DURATION (default 20s) and CONNECTIONS (default 8) set each load, WARMUP (default 90s) the order load
# run before measuring; the circuit delay is shortened to 5 s. Services run as scripts/local.sh runs them (its
# JAVA_OPTS, class data sharing from a training run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
duration=${DURATION:-20s}
warmup=${WARMUP:-90s}
connections=${CONNECTIONS:-8}
orders=http://localhost:8082
export RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__CIRCUIT_BREAKER_DELAY=5s

if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi

# wrk_run NAME ARGS... -> sets rps, p50, p99 (ms), errors
wrk_run() {
  local out
  out=$(wrk --latency -t2 -c"$connections" -d"$duration" "$@")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '/^ +50%/ {print $2}' <<<"$out")
  p99=$(awk '/^ +99%/ {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  errors=${errors:-0}
}
# ms VALUE -> milliseconds from wrk's "1.23ms" / "456.00us" / "1.20s"
ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
state() { curl -s "$orders/resilience/circuits" | grep -o '"name":"payment-service","state":"[A-Z_]*"' | cut -d'"' -f8; }
post_order() { curl -s -o /dev/null -H 'Content-Type: application/json' "$orders/orders" -d "$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" scripts/bench/order.lua)"; }
now_ms() { date +%s%3N; }

scripts/local.sh down >/dev/null
mkdir -p logs
echo "training run: records each build's class archive (scripts/local.sh, class data sharing)"
scripts/local.sh up >/dev/null
for _ in $(seq 1 100); do post_order; done
scripts/local.sh down >/dev/null

: > logs/user-service.log; : > logs/payment-service.log; : > logs/order-service.log
declare -A started
for s in user-service payment-service order-service; do # one at a time, so each has the machine to itself
  scripts/local.sh start "$s" >/dev/null
  started[$s]=$(grep -o 'started in [0-9.]*s' "logs/$s.log" | tail -n 1 | awk '{print $3}' | tr -d s)
done
echo "  started in: ${started[user-service]} s, ${started[payment-service]} s, ${started[order-service]} s"

# The JIT compilers share the 2 cores with everything else and take a minute of load to settle: measure after.
echo "warm-up: $warmup of each load"
wrk -t2 -c"$connections" -d"$warmup" -s scripts/bench/order.lua "$orders/orders" >/dev/null
wrk -t2 -c"$connections" -d10s "$orders/q/health/live" >/dev/null

echo "bare hop: GET /q/health/live"
wrk_run "$orders/q/health/live"; bare_rps=$rps; bare_p50=$(ms "$p50"); bare_p99=$(ms "$p99")
echo "  $bare_rps req/s, p50 $bare_p50 ms, p99 $bare_p99 ms"

echo "end to end: POST /orders, healthy"
wrk_run -s scripts/bench/order.lua "$orders/orders"; e2e_rps=$rps; e2e_p50=$(ms "$p50"); e2e_p99=$(ms "$p99"); e2e_err=$errors
echo "  $e2e_rps req/s, p50 $e2e_p50 ms, p99 $e2e_p99 ms, non-2xx $e2e_err"

declare -A rss
for s in user-service payment-service order-service; do
  rss[$s]=$(( $(ps -o rss= -p "$(<"logs/$s.pid")") / 1024 ))
done

echo "kill -9 payment-service under load"
(for _ in $(seq 1 400); do post_order; sleep 0.05; done) &
load=$!
sleep 1
t0=$(now_ms)
KILL=1 scripts/local.sh stop payment-service >/dev/null
until [[ $(state) == OPEN ]]; do sleep 0.05; done
kill_to_open=$(( $(now_ms) - t0 ))
echo "  OPEN $kill_to_open ms after the kill"

echo "fail-fast: POST /orders with payment-service down, circuit open"
wrk_run -s scripts/bench/order.lua "$orders/orders"; open_rps=$rps; open_p50=$(ms "$p50"); open_p99=$(ms "$p99")
echo "  $open_rps req/s, p50 $open_p50 ms, p99 $open_p99 ms"

t1=$(now_ms)
scripts/local.sh up >/dev/null
until [[ $(state) == CLOSED ]]; do sleep 0.05; done
restart_to_closed=$(( $(now_ms) - t1 ))
kill $load 2>/dev/null || true
wait $load 2>/dev/null || true
echo "  CLOSED $restart_to_closed ms after the restart began (includes startup and the 5 s delay)"

echo "breaker disabled: the same outage with a window no outage fills"
KILL=1 scripts/local.sh stop payment-service >/dev/null
scripts/local.sh stop order-service >/dev/null
RESILIENCE_DOWNSTREAM__PAYMENT_SERVICE__CIRCUIT_BREAKER_WINDOW=10000 scripts/local.sh up >/dev/null
KILL=1 scripts/local.sh stop payment-service >/dev/null
for _ in $(seq 1 5); do post_order; done
wrk_run -s scripts/bench/order.lua "$orders/orders"; off_rps=$rps; off_p50=$(ms "$p50"); off_p99=$(ms "$p99")
echo "  $off_rps req/s, p50 $off_p50 ms, p99 $off_p99 ms"
scripts/local.sh down >/dev/null

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3g", a / b }'; }
# at_most A B -> "met" when A <= B
at_most() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; then echo met; else echo "NOT met"; fi; }
t_throughput=$(at_most "$(awk -v b="$bare_rps" 'BEGIN { print 0.10 * b }')" "$e2e_rps")
t_failfast=$(at_most "$open_p99" "$(awk -v p="$e2e_p50" 'BEGIN { print 2 * p }')")
t_start=met; t_rss=met
for s in user-service payment-service order-service; do
  [[ $(at_most "${started[$s]}" 1.5) == met ]] || t_start="NOT met"
  [[ $(at_most "${rss[$s]}" 200) == met ]] || t_rss="NOT met"
done

section=$(cat <<MD
## System

Local processes (\`scripts/local.sh\`: \`${JAVA_OPTS:--Xmx128m -XX:+UseSerialGC}\`, class data sharing recorded by a
training run), wrk with $connections connections for $duration per load after $warmup of order load (the JIT
compilers share the cores and need it), payment-service's circuit delay shortened to 5 s. Run on
$(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -n 1), with \`scripts/bench.sh\`. The load
generator shares the 2 cores with the three services, PostgreSQL and RabbitMQ, so absolute numbers are low; compare
the rows with each other.

| load | req/s | p50 ms | p99 ms |
|---|---|---|---|
| bare hop: \`GET /q/health/live\` on order-service | $bare_rps | $bare_p50 | $bare_p99 |
| \`POST /orders\`, healthy (3 hops, 3 transactions, 3 events) | $e2e_rps | $e2e_p50 | $e2e_p99 |
| \`POST /orders\`, payment-service down, circuit open | $open_rps | $open_p50 | $open_p99 |
| \`POST /orders\`, payment-service down, breaker disabled | $off_rps | $off_p50 | $off_p99 |

| measure | value | target |
|---|---|---|
| end-to-end throughput / bare hop | $(ratio "$e2e_rps" "$bare_rps") | ≥ 0.10: $t_throughput |
| open-circuit p99 / healthy p50 | $(ratio "$open_p99" "$e2e_p50") | ≤ 2: $t_failfast |
| breaker disabled p50 / open-circuit p50 | $(ratio "$off_p50" "$open_p50") | what the breaker saves |
| kill -9 of payment-service → circuit OPEN (orders every 50 ms) | $kill_to_open ms | |
| restart of payment-service → circuit CLOSED (startup + 5 s delay + probe) | $restart_to_closed ms | |
| startup (Quarkus "started in", one at a time, with the class archive) user / payment / order | ${started[user-service]} s / ${started[payment-service]} s / ${started[order-service]} s | < 1.5 s: $t_start |
| resident memory right after the healthy load user / payment / order | ${rss[user-service]} MB / ${rss[payment-service]} MB / ${rss[order-service]} MB | < 200 MB: $t_rss |

Non-2xx answers under the healthy load: $e2e_err. Reproduce: \`scripts/bench.sh\` (\`DURATION=60s CONNECTIONS=16\` for
longer runs); it needs the local PostgreSQL and RabbitMQ, like \`scripts/local.sh\`.
MD
)
echo
echo "$section"
doc="$root/docs/benchmarks.md"
mkdir -p "$root/docs"
printf '%s\n' "$section" | python3 "$root/scripts/bench/write-section.py" "$doc" "System"
echo "Written to docs/benchmarks.md"
