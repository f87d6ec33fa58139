package org.acme.resilience.classify;

import static org.acme.resilience.classify.FailureClassifier.Outcome.BUSINESS;
import static org.acme.resilience.classify.FailureClassifier.Outcome.REJECTED_LOCALLY;
import static org.acme.resilience.classify.FailureClassifier.Outcome.TECHNICAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

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
