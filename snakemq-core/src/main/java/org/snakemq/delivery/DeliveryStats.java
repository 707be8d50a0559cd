package org.snakemq.delivery;

/**
 * Counts of a {@link Deliveries} since it started.
 * Immutable snapshot; any thread may take and read one.
 *
 * @param completed     messages whose handler completed
 * @param failures      failed attempts (each retry that failed counts)
 * @param retries       attempts after a failure
 * @param recovered     messages handed to the recoverer that took them (dead-lettered by default)
 * @param recoveryFailures calls of the recoverer that failed (the message was kept)
 * @param refused       messages the {@link DeliveryAccessPolicy} refused (acknowledged, not handled)
 * @param pending       messages accepted and not yet completed, now
 */
public record DeliveryStats(long completed, long failures, long retries, long recovered, long recoveryFailures,
                            long refused, int pending) {
}
