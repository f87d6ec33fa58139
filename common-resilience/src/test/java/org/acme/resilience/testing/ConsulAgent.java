package org.acme.resilience.testing;

/**
 * A Consul agent the tests can start, stop and wipe: the {@link ConsulDouble}, or a real {@code consul agent -dev}
 * ({@link ConsulDevAgent}) when a {@code consul} binary is on the PATH. Tests talk to either only through the HTTP
 * API ({@link ConsulHttp}), so the same tests check the double against the real thing.
 */
public interface ConsulAgent extends AutoCloseable {

    int port();

    /** The agent's management token: its ACLs are on with default policy deny, as in every real deployment. */
    String aclToken();

    /** Starts answering on {@link #port()} (again). */
    ConsulAgent start();

    /** Stops answering: clients see connection refused. */
    void stop();

    /** Loses every registration, as a restarted dev agent does. */
    void forget();

    /** Keeps accepting connections but answers nothing, as a hung agent, until {@link #thaw()}. */
    void freeze();

    void thaw();

    @Override
    void close();

    /** A real dev agent if {@code consul} is on the PATH, otherwise the double. Not started. */
    static ConsulAgent create() {
        return ConsulDevAgent.available() ? new ConsulDevAgent() : new ConsulDouble();
    }
}
