#!/usr/bin/env bash
# Prints every event published on the domain_events exchange, one line each:
#   scripts/watch-events.sh              everything ("#")
#   scripts/watch-events.sh 'order.*'    one routing-key pattern
#   VERBOSE=1 scripts/watch-events.sh    with each event's full JSON envelope
# Uses the RabbitMQ Java client the build already downloaded; RABBITMQ_HOST/PORT/USER/PASSWORD as for the services.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
repo=${MAVEN_REPO:-$HOME/.m2/repository}
client=$(ls "$repo"/com/rabbitmq/amqp-client/*/amqp-client-*.jar 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z $client ]]; then
  (cd "$root" && ./mvnw -B -q -pl common-resilience dependency:resolve >/dev/null)
  client=$(ls "$repo"/com/rabbitmq/amqp-client/*/amqp-client-*.jar | sort -V | tail -n 1)
fi
slf4j=$(ls "$repo"/org/slf4j/slf4j-api/*/slf4j-api-*.jar 2>/dev/null | sort -V | tail -n 1 || true)
exec java -Dslf4j.internal.verbosity=ERROR -cp "$client${slf4j:+:$slf4j}" "$root/scripts/WatchEvents.java" "${1:-#}"
