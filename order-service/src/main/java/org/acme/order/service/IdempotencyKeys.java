package org.acme.order.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

import org.acme.order.OrderProblems;
import org.acme.order.config.IdempotencyConfig;
import org.acme.order.config.SagaConfig;
import org.acme.resilience.problem.ProblemException;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * The {@code Idempotency-Key}s of {@code POST /orders}, with the semantics of the IETF draft
 * (httpapi-idempotency-key-header): a key belongs to a user and is kept {@link IdempotencyConfig#retention()}; the
 * first request with it claims it before anything else happens, so of any number of concurrent repeats exactly one
 * runs the saga; a repeat with the same request replays the first answer, with another request it is refused (422),
 * and while the first is still running it is told so (409).
 *
 * <p>A request that ends without an order (unknown user, user-service unreachable) releases its key: nothing
 * happened, so the client's retry is a first attempt. A claim whose request died with its instance is taken over
 * once it is older than {@link SagaConfig#staleAfter()}; if it had created its order, the order's state once
 * recovery has finished it becomes the answer. Times come from the database's clock.
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** A user's key and the fingerprint of the request that came with it. */
    public record Key(long userId, String value, String fingerprint) {
    }

    /** What a request with a key is to do. */
    public sealed interface Claim {

        /** First use (or a released or abandoned key taken over): run the saga and {@link #answered} it. */
        record Fresh(Key key) implements Claim {
        }

        /** The key has an answer: send it again. */
        record Replay(int status, String body, UUID orderId) implements Claim {
        }

        /** The request that claimed the key died after creating this order: its state is the answer once final. */
        record Abandoned(Key key, UUID orderId) implements Claim {
        }
    }

    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class);

    private final EntityManager em;
    private final SagaConfig saga;
    private final IdempotencyConfig config;

    public IdempotencyKeys(EntityManager em, SagaConfig saga, IdempotencyConfig config) {
        this.em = em;
        this.saga = saga;
        this.config = config;
    }

    /** SHA-256 of the request as the service read it, so formatting and field order do not matter. */
    public static String fingerprint(byte[] canonicalRequest) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalRequest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Claims the key for this request, or says what else to do. Commits at once: concurrent repeats see it. */
    @Transactional(TxType.REQUIRES_NEW)
    public Claim claim(Key key) {
        int inserted = em.createNativeQuery("""
                insert into idempotency_key (user_id, idem_key, request_hash) values (?1, ?2, ?3)
                on conflict do nothing""")
                .setParameter(1, key.userId()).setParameter(2, key.value()).setParameter(3, key.fingerprint())
                .executeUpdate();
        if (inserted == 1) {
            return new Claim.Fresh(key);
        }
        List<?> rows = em.createNativeQuery("""
                select request_hash, response_status, response_body, order_id,
                       created_at < now() - make_interval(secs => ?3) as abandoned
                from idempotency_key where user_id = ?1 and idem_key = ?2 for update""")
                .setParameter(1, key.userId()).setParameter(2, key.value())
                .setParameter(3, (double) saga.staleAfter().toMillis() / 1000)
                .getResultList();
        if (rows.isEmpty()) {
            throw inUse(key); // released between our insert and our read: the client may simply retry
        }
        Object[] row = (Object[]) rows.get(0);
        if (!key.fingerprint().equals(row[0])) {
            throw new ProblemException(OrderProblems.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key " + key.value()
                    + " was first used with another request; a new request needs a new key");
        }
        UUID orderId = (UUID) row[3];
        if (row[1] != null) {
            return new Claim.Replay(((Number) row[1]).intValue(), (String) row[2], orderId);
        }
        if (!Boolean.TRUE.equals(row[4])) {
            throw inUse(key);
        }
        if (orderId != null) {
            return new Claim.Abandoned(key, orderId);
        }
        em.createNativeQuery("update idempotency_key set created_at = now() where user_id = ?1 and idem_key = ?2")
                .setParameter(1, key.userId()).setParameter(2, key.value()).executeUpdate();
        LOG.infof("Idempotency-Key %s of user %d: the request that claimed it died before creating an order; "
                + "taken over", key.value(), key.userId());
        return new Claim.Fresh(key);
    }

    /** Ties the key to its order; called in the transaction that creates the order. */
    @Transactional(TxType.MANDATORY)
    void attach(Key key, UUID orderId) {
        em.createNativeQuery("update idempotency_key set order_id = ?3 where user_id = ?1 and idem_key = ?2")
                .setParameter(1, key.userId()).setParameter(2, key.value()).setParameter(3, orderId)
                .executeUpdate();
    }

    /** Records the answer that repeats of this key will get. */
    @Transactional
    public void answered(Key key, int status, String body) {
        em.createNativeQuery("""
                update idempotency_key set response_status = ?3, response_body = ?4
                where user_id = ?1 and idem_key = ?2""")
                .setParameter(1, key.userId()).setParameter(2, key.value())
                .setParameter(3, status).setParameter(4, body)
                .executeUpdate();
    }

    /** Frees a key whose request ended without creating an order, so a retry is a first attempt. */
    @Transactional
    public void release(Key key) {
        em.createNativeQuery("""
                delete from idempotency_key
                where user_id = ?1 and idem_key = ?2 and order_id is null and response_status is null""")
                .setParameter(1, key.userId()).setParameter(2, key.value()).executeUpdate();
    }

    @Scheduled(every = "${order.idempotency.purge-interval}", delayed = "${order.idempotency.purge-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void periodically() {
        purgeExpired();
    }

    /** Deletes the keys past their retention; @return how many */
    @Transactional
    public int purgeExpired() {
        int deleted = em.createNativeQuery(
                "delete from idempotency_key where created_at < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) config.retention().toSeconds())
                .executeUpdate();
        if (deleted > 0) {
            LOG.debugf("Deleted %d idempotency keys past their retention", deleted);
        }
        return deleted;
    }

    private static ProblemException inUse(Key key) {
        return new ProblemException(OrderProblems.IDEMPOTENCY_KEY_IN_USE, "a request with Idempotency-Key "
                + key.value() + " is still being processed; retry later to get its answer");
    }
}
