package org.acme.resilience.classify;

import static org.acme.resilience.classify.FailureClassifier.Outcome.BUSINESS;
import static org.acme.resilience.classify.FailureClassifier.Outcome.NOT_NOW;
import static org.acme.resilience.classify.FailureClassifier.Outcome.REJECTED_LOCALLY;
import static org.acme.resilience.classify.FailureClassifier.Outcome.TECHNICAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.time.Clock;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

import io.smallrye.stork.api.NoServiceInstanceFoundException;

class FailureClassifierTest {

    @Test
    void clientErrorsAreBusinessOutcomes() {
        for (int status : new int[] { 400, 404, 409, 422 }) {
            assertThat(FailureClassifier.classify(new WebApplicationException(status))).isEqualTo(BUSINESS);
            assertThat(FailureClassifier.clientErrorStatus(new WebApplicationException(status))).isEqualTo(status);
        }
    }

    @Test
    void requestTimeoutTooManyRequestsAndAShedServiceUnavailableMeanNotNow() {
        assertThat(FailureClassifier.classify(new WebApplicationException(408))).isEqualTo(NOT_NOW);
        assertThat(FailureClassifier.classify(new WebApplicationException(429))).isEqualTo(NOT_NOW);
        WebApplicationException shed = new WebApplicationException(
                Response.status(503).header("Retry-After", "2").build());
        assertThat(FailureClassifier.classify(shed)).isEqualTo(NOT_NOW);
        assertThat(FailureClassifier.retryAfter(shed, Clock.systemUTC())).contains(java.time.Duration.ofSeconds(2));
        assertThat(FailureClassifier.clientErrorStatus(new WebApplicationException(429))).isEqualTo(-1);
        assertThat(FailureClassifier.classify(new WebApplicationException(503))).isEqualTo(TECHNICAL);
        assertThat(FailureClassifier.classify(new NotNowException(shed, java.util.Optional.empty(), false)))
                .as("the guard's carrier is judged by the answer it carries").isEqualTo(NOT_NOW);
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Clock now = Clock.fixed(java.time.Instant.parse("2026-11-23T07:00:00Z"), java.time.ZoneOffset.UTC);
        WebApplicationException dated = new WebApplicationException(
                Response.status(429).header("Retry-After", "Mon, 23 Nov 2026 07:00:10 GMT").build());
        assertThat(FailureClassifier.retryAfter(dated, now)).contains(java.time.Duration.ofSeconds(10));
        WebApplicationException garbled = new WebApplicationException(
                Response.status(429).header("Retry-After", "soon").build());
        assertThat(FailureClassifier.retryAfter(garbled, Clock.systemUTC())).isEmpty();
    }

    @Test
    void refusedCredentialsAreOurOwnMisconfigurationAndTechnical() {
        for (int status : new int[] { 401, 403 }) {
            assertThat(FailureClassifier.classify(new WebApplicationException(status))).isEqualTo(TECHNICAL);
            assertThat(FailureClassifier.clientErrorStatus(new WebApplicationException(status))).isEqualTo(-1);
            assertThat(FailureClassifier.describe(new WebApplicationException(status))).isEqualTo("failed with " + status);
        }
    }

    @Test
    void serverErrorsTimeoutsConnectionsAndMissingInstancesAreTechnical() {
        assertThat(FailureClassifier.classify(new WebApplicationException(500))).isEqualTo(TECHNICAL);
        assertThat(FailureClassifier.classify(new WebApplicationException(503))).isEqualTo(TECHNICAL);
        assertThat(FailureClassifier.classify(new TimeoutException())).isEqualTo(TECHNICAL);
        assertThat(FailureClassifier.classify(new ConnectException("refused"))).isEqualTo(TECHNICAL);
        assertThat(FailureClassifier.classify(new ProcessingException(new ConnectException()))).isEqualTo(TECHNICAL);
        assertThat(FailureClassifier.classify(new NoServiceInstanceFoundException("none"))).isEqualTo(TECHNICAL);
        assertThat(FailureClassifier.clientErrorStatus(new WebApplicationException(500))).isEqualTo(-1);
    }

    @Test
    void ourOwnRejectionsAreNeitherTheDownstreamsFailureNorWorthARetry() {
        assertThat(FailureClassifier.classify(new CircuitBreakerOpenException())).isEqualTo(REJECTED_LOCALLY);
        assertThat(FailureClassifier.classify(new BulkheadException())).isEqualTo(REJECTED_LOCALLY);
    }

    @Test
    void wrappersAreLookedThrough() {
        assertThat(FailureClassifier.classify(new CompletionException(new WebApplicationException(404))))
                .isEqualTo(BUSINESS);
    }
}
