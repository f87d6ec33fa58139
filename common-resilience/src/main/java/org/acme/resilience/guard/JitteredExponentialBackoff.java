package org.acme.resilience.guard;

import java.util.function.DoubleSupplier;

import org.acme.resilience.classify.NotNowException;
import org.acme.resilience.policy.DownstreamPolicy;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Delay before retry {@code n} (0 for the first retry): {@code min(initialDelay * factor^n, maxDelay) * u} with
 * {@code u} uniform in {@code [1 - jitter, 1 + jitter]}. The jitter spreads the retries of many callers so a
 * recovering downstream is not hit by all of them at the same instant. After a "not now" that named a wait
 * ({@code Retry-After}), the delay is {@code max(that, wait)}: the guard retries such an answer only when the wait fits
 * ({@link NotNowException#worthRetrying()}).
 */
public final class JitteredExponentialBackoff implements CustomBackoffStrategy {

    private final DownstreamPolicy.Retry retry;
    private final DoubleSupplier uniform;
    private int retriesSoFar;

    /** @param uniform source of uniform numbers in [0, 1); tests pass fixed values */
    public JitteredExponentialBackoff(DownstreamPolicy.Retry retry, DoubleSupplier uniform) {
        this.retry = retry;
        this.uniform = uniform;
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        long backoff = delayMillis(retry, retriesSoFar++, uniform.getAsDouble());
        if (cause instanceof NotNowException notNow && notNow.retryAfter().isPresent()) {
            return Math.max(backoff, notNow.retryAfter().get().toMillis());
        }
        return backoff;
    }

    /** The delay before retry {@code n}, for a uniform sample {@code sample} in [0, 1). */
    public static long delayMillis(DownstreamPolicy.Retry retry, int n, double sample) {
        double base = Math.min(retry.initialDelay().toMillis() * Math.pow(retry.factor(), n),
                retry.maxDelay().toMillis());
        double spread = 1 - retry.jitter() + 2 * retry.jitter() * sample;
        return Math.round(base * spread);
    }
}
