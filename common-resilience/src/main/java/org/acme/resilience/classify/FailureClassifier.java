package org.acme.resilience.classify;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import jakarta.ws.rs.WebApplicationException;

import io.smallrye.faulttolerance.api.RateLimitException;
import io.smallrye.stork.api.NoServiceInstanceFoundException;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.acme.resilience.discovery.DiscoveryFailedException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Decides what an exception from a downstream call means for resilience.
 *
 * <ul>
 * <li>{@link Outcome#BUSINESS}: the downstream answered with a 4xx. It works; the answer is a business outcome (user
 * not found, validation). Never a circuit-breaker failure, never retried. Except 401 and 403: the downstream refused
 * our credentials, which is our own misconfiguration, never an answer about the request: technical.</li>
 * <li>{@link Outcome#NOT_NOW}: the downstream works but asks us to come back later: 408, 429, and 503 <em>with</em>
 * {@code Retry-After} (load shed). Not a circuit-breaker failure; retried after {@code max(backoff, Retry-After)} only
 * if that wait fits the retry's max delay and the call's remaining budget.</li>
 * <li>{@link Outcome#REJECTED_LOCALLY}: our own guard refused the call (circuit open, bulkhead full). The downstream was
 * not touched, so it is not its failure, and retrying at once would be refused again.</li>
 * <li>{@link Outcome#TECHNICAL}: everything else: 5xx, timeouts, refused or reset connections, no instance from
 * discovery, unreadable responses. Counts toward opening the circuit and is retried.</li>
 * </ul>
 */
public final class FailureClassifier {

    public enum Outcome {
        BUSINESS, NOT_NOW, REJECTED_LOCALLY, TECHNICAL
    }

    private FailureClassifier() {
    }

    public static Outcome classify(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof WebApplicationException wae) {
            int status = wae.getResponse() == null ? 500 : wae.getResponse().getStatus();
            if (status == 408 || status == 429 || (status == 503 && retryAfter(wae, Clock.systemUTC()).isPresent())) {
                return Outcome.NOT_NOW;
            }
            boolean refusedCredentials = status == 401 || status == 403;
            return status >= 400 && status < 500 && !refusedCredentials ? Outcome.BUSINESS : Outcome.TECHNICAL;
        }
        if (t instanceof CircuitBreakerOpenException || t instanceof BulkheadException
                || t instanceof RateLimitException) {
            return Outcome.REJECTED_LOCALLY;
        }
        return Outcome.TECHNICAL;
    }

    /** Whether the failure says the downstream is unwell: counted by the circuit breaker and worth a retry. */
    public static boolean isTechnicalFailure(Throwable failure) {
        return classify(failure) == Outcome.TECHNICAL;
    }

    /** Whether the downstream asked to be called again later (408, 429, 503 with {@code Retry-After}). */
    public static boolean isNotNow(Throwable failure) {
        return classify(failure) == Outcome.NOT_NOW;
    }

    /**
     * The wait a downstream's answer asks for in {@code Retry-After} (delay-seconds or an HTTP-date), if it has a
     * readable one; an HTTP-date is read against {@code clock}.
     */
    public static Optional<Duration> retryAfter(Throwable failure, Clock clock) {
        if (!(unwrap(failure) instanceof WebApplicationException wae) || wae.getResponse() == null) {
            return Optional.empty();
        }
        String value = wae.getResponse().getHeaderString("Retry-After");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        value = value.strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** The HTTP status of a business outcome, or -1. */
    public static int clientErrorStatus(Throwable failure) {
        return unwrap(failure) instanceof WebApplicationException wae && classify(wae) == Outcome.BUSINESS
                ? wae.getResponse().getStatus()
                : -1;
    }

    /** A short, log- and user-safe description of why a call failed ("timed out", "rejected the request with 404"). */
    public static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof CircuitBreakerOpenException) {
            return "unavailable: circuit open";
        }
        if (t instanceof BulkheadException) {
            return "busy: too many concurrent calls";
        }
        if (t instanceof TimeoutException) {
            return "timed out";
        }
        if (isNotNow(t)) {
            int notNow = ((WebApplicationException) t).getResponse().getStatus();
            return "busy: answered " + notNow + retryAfter(t, Clock.systemUTC()).map(wait -> ", retry after " + wait.toSeconds() + " s")
                    .orElse("");
        }
        int status = clientErrorStatus(t);
        if (status > 0) {
            return "rejected the request with " + status;
        }
        if (t instanceof WebApplicationException wae && wae.getResponse() != null) {
            return "failed with " + wae.getResponse().getStatus();
        }
        if (t instanceof NoServiceInstanceFoundException) {
            return "unreachable: no instance available";
        }
        if (t instanceof DiscoveryFailedException) {
            return "unreachable: discovery failed";
        }
        if (t instanceof ConnectException) {
            return "unreachable: connection refused";
        }
        return "unreachable: " + t.getClass().getSimpleName();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || current instanceof NotNowException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
