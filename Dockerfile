# syntax=docker/dockerfile:1
# One image build for the whole system: a single stage builds the reactor once, and each service's image is a target
# that copies its own application from it. docker compose builds the targets (user-service, payment-service,
# order-service) from this file, so a first `docker compose up --build` downloads the Maven dependencies once, into a
# BuildKit cache that later builds reuse. A machine with only Docker can build it: no JDK or Maven needed on the host.
#   docker build --target order-service -t acme/order-service .

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Poms first: the dependency download below is redone only when a pom changes, not when sources do.
COPY pom.xml ./
COPY common-resilience/pom.xml common-resilience/
COPY user-service/pom.xml user-service/
COPY payment-service/pom.xml payment-service/
COPY order-service/pom.xml order-service/
# Best effort: whatever the offline goal cannot resolve ahead is fetched by the package step.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline -DexcludeGroupIds=org.acme || true
COPY common-resilience common-resilience
COPY user-service user-service
COPY payment-service payment-service
COPY order-service order-service
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package

# What every service image shares: a JRE, curl for the health check, and an unprivileged user.
FROM eclipse-temurin:17-jre AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 185 --home /deployments app
WORKDIR /deployments
USER 185
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -Djava.util.logging.manager=org.jboss.logmanager.LogManager"
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=5 \
    CMD curl -fs "http://localhost:${SERVICE_PORT}/q/health/ready" || exit 1
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /deployments/quarkus-run.jar"]

FROM runtime AS user-service
ENV SERVICE_PORT=8081
EXPOSE 8081
COPY --from=build --chown=185 /src/user-service/target/quarkus-app/ ./

FROM runtime AS payment-service
ENV SERVICE_PORT=8083
EXPOSE 8083
COPY --from=build --chown=185 /src/payment-service/target/quarkus-app/ ./

FROM runtime AS order-service
ENV SERVICE_PORT=8082
EXPOSE 8082
COPY --from=build --chown=185 /src/order-service/target/quarkus-app/ ./
