package org.acme.order.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Who may watch the dashboard ({@code /dashboard/}) and what one watcher may cost. The admin token is
 * {@code resilience.admin.token}, shared with every operator endpoint; with neither it nor {@link #viewerToken()} set,
 * the dashboard's data and controls do not exist (404).
 */
@ConfigMapping(prefix = "order.dashboard")
public interface DashboardConfig {

    /**
     * A read-only token (env {@code ORDER_DASHBOARD_VIEWER_TOKEN}): exchanged for a session that watches circuits and
     * events but cannot use the controls (fault injection: 403). Unset: only the admin token opens the dashboard.
     */
    Optional<String> viewerToken();

    /**
     * The secret session cookies are signed with (HMAC-SHA256). Unset, the key is derived from the configured tokens,
     * so changing a token ends every session signed before, and every instance with the same tokens accepts the same
     * cookies.
     */
    Optional<String> sessionSecret();

    /** How long a session lasts before the token must be given again. */
    @WithDefault("8h")
    Duration sessionTtl();

    /** Pages watching the event stream at once (each one a broker queue); one more is refused with 503. */
    @WithDefault("8")
    int maxWatchers();

    /** What a refused watcher is told to wait before trying again ({@code Retry-After}). */
    @WithDefault("10s")
    Duration watcherRetryAfter();

    /**
     * Events one watcher's broker queue holds for it ({@code x-max-length}); beyond that the oldest are dropped by the
     * broker ({@code x-overflow: drop-head}).
     */
    @WithDefault("1000")
    int queueMaxLength();

    /** Deliveries the broker sends one watcher before it acknowledges them (consumer prefetch). */
    @WithDefault("50")
    int prefetch();

    /**
     * Events held in memory for one page that reads slower than they come; beyond that the oldest are dropped and
     * counted ({@code dashboard_events_dropped_total}).
     */
    @WithDefault("256")
    int bufferSize();
}
