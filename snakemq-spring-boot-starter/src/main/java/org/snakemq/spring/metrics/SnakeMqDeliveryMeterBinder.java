package org.snakemq.spring.metrics;

import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.snakemq.delivery.Deliveries;
import org.snakemq.delivery.DeliveryStats;

/**
 * Meters of the delivery into the application: {@code snakemq.delivery.completed}, {@code .failures}
 * (failed attempts), {@code .retries}, {@code .dead.letters} (messages handed to the recoverer),
 * {@code .recovery.failures}, and the gauge {@code snakemq.delivery.pending}.
 */
public final class SnakeMqDeliveryMeterBinder implements MeterBinder {

    private final Supplier<Deliveries> deliveries;

    /** @param deliveries asked when a meter is read; the deliveries exist once the context started */
    public SnakeMqDeliveryMeterBinder(Supplier<Deliveries> deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "snakemq.delivery.completed", "messages the application's handlers completed",
                DeliveryStats::completed);
        counter(registry, "snakemq.delivery.failures", "handler attempts that failed", DeliveryStats::failures);
        counter(registry, "snakemq.delivery.retries", "handler attempts after a failure", DeliveryStats::retries);
        counter(registry, "snakemq.delivery.dead.letters", "messages that failed every attempt and were recovered",
                DeliveryStats::recovered);
        counter(registry, "snakemq.delivery.recovery.failures", "recoverer calls that failed (the message was kept)",
                DeliveryStats::recoveryFailures);
        Gauge.builder("snakemq.delivery.pending", this, b -> b.stat(DeliveryStats::pending))
                .description("messages waiting for or in a handler").register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description,
                         ToDoubleFunction<DeliveryStats> value) {
        FunctionCounter.builder(name, this, b -> b.stat(value)).description(description).register(registry);
    }

    private double stat(ToDoubleFunction<DeliveryStats> value) {
        try {
            return value.applyAsDouble(deliveries.get().stats());
        } catch (IllegalStateException notStartedYet) {
            return 0;
        }
    }
}
