package org.snakemq.spring.observation;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.micrometer.observation.Observation;

/** Stopping an observation when the work it stands around is done. */
final class Observations {

    private Observations() {
    }

    /** Stops {@code observation} now, or when {@code result} completes if it is a stage. */
    static void stopWhenDone(Observation observation, Object result) {
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, error) -> {
                if (error != null) {
                    observation.error(unwrap(error));
                }
                observation.stop();
            });
        } else {
            observation.stop();
        }
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
