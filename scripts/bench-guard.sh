#!/usr/bin/env bash
# JMH: the guarded call's overhead against a bare call and against Resilience4j's equivalent composition, in one run.
# Prints JMH's table and writes it, with the machine and the command, to docs/benchmarks.md (section "Guard overhead").
#   scripts/bench-guard.sh                 full run (about 2 minutes)
#   QUICK=1 scripts/bench-guard.sh         a short smoke run (figures not worth publishing)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jmh_args=${JMH_ARGS:-}
[[ ${QUICK:-0} == 1 ]] && jmh_args="-wi 1 -w 1 -i 2 -r 1 $jmh_args"

./mvnw -B -q -Pbench -pl common-resilience -am -DskipTests install
result="$root/common-resilience/target/jmh-result.txt"
./mvnw -B -q -Pbench -pl common-resilience exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.args="-cp %classpath org.openjdk.jmh.Main GuardOverheadBenchmark -rf text -rff $result $jmh_args"

table=$(cat "$result")
echo "$table"
score() { awk -v b="GuardOverheadBenchmark.$1" '$1 == b {print $4}' "$result"; }
ratio() { awk -v g="$(score "$1")" -v r="$(score "$2")" 'BEGIN { printf "%.1f", g / r }'; }
micros() { awk -v g="$(score "$1")" 'BEGIN { printf "%.1f", g / 1000 }'; }
success_ratio=$(ratio guarded resilience4j)
open_ratio=$(ratio guardedOpen resilience4jOpen)
verdict() { awk -v x="$1" 'BEGIN { print (x <= 2.0 ? "met" : "NOT met") }'; }

doc="$root/docs/benchmarks.md"
mkdir -p "$root/docs"
section=$(cat <<MD
## Guard overhead

What \`DownstreamGuard.call\` (three SmallRye Fault Tolerance guards, retry > bulkhead > circuit breaker, and a deadline
per attempt) adds to a call, against the bare call and against Resilience4j's equivalent composition (retry, circuit
breaker, time limiter, bulkhead) with the same settings, in the same JMH run: on a call that succeeds at once
(\`guarded\`, \`resilience4j\`) and on a call refused by an open circuit and answered by a fallback (\`guardedOpen\`,
\`resilience4jOpen\`). Source: \`common-resilience/src/bench/java/org/acme/resilience/bench/GuardOverheadBenchmark.java\`.

Run on $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -n 1), with \`scripts/bench-guard.sh\`${QUICK:+ (QUICK=1)}:

\`\`\`
$table
\`\`\`

| path | guard | Resilience4j | guard / Resilience4j | target ≤ 2 |
|---|---|---|---|---|
| success | $(micros guarded) µs | $(micros resilience4j) µs | $success_ratio | $(verdict "$success_ratio") |
| open circuit | $(micros guardedOpen) µs | $(micros resilience4jOpen) µs | $open_ratio | $(verdict "$open_ratio") |

What made the difference (profiled with JMH's \`-prof stack\` and \`-prof gc\`): before these changes the three-guard
design cost 20–27 µs per successful call in short runs, and the single-guard design before it 6.9 µs, 3.5 times
Resilience4j.
- Attempt deadlines are on a timing wheel (\`AttemptTimer\`, Netty's \`HashedWheelTimer\`, 10 ms ticks). On Mutiny's
  scheduler every call's deadline was the earliest in the queue, so setting it woke the timer thread, and cancelled
  deadlines stayed queued for their full second.
- A queued-too-long deadline is set only for an attempt the bulkhead actually queued.
- An attempt's answer, its deadline and its counting are one subscriber instead of five Mutiny operators, each of which
  captured the context to propagate.
- An open circuit refuses before any strategy runs, with an exception that has no stack trace: SmallRye's
  \`CircuitBreakerOpenException\` filled in a stack trace through every guard's frames, half of the open path's cost.

The ± column is JMH's 99.9% interval over five iterations. Resilience4j's success path varies most: its time limiter
leaves every cancelled timeout in the scheduler's queue until it is due, and in a \`-prof gc\` run it spent over a
second in garbage collection.

Both are microseconds on calls that cross the network in milliseconds (see the System section), so neither matters
next to the call it protects. What remains of the guard's cost is SmallRye Fault Tolerance's own per-call work
(three strategy chains, their event handlers, the Uni-to-future adaptation) and context propagation.
MD
)
printf '%s\n' "$section" | python3 "$root/scripts/bench/write-section.py" "$doc" "Guard overhead"
echo "Written to docs/benchmarks.md"
