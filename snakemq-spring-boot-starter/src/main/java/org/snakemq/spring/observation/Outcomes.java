package org.snakemq.spring.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;

/** The {@code outcome} key: {@code error} once the observation has an error, {@code success} before. */
final class Outcomes {

    private static final KeyValue SUCCESS =
            KeyValue.of(SnakeMqObservationDocumentation.LowCardinalityKeys.OUTCOME, "success");
    private static final KeyValue ERROR =
            KeyValue.of(SnakeMqObservationDocumentation.LowCardinalityKeys.OUTCOME, "error");

    private Outcomes() {
    }

    static KeyValue of(Observation.Context context) {
        return context.getError() == null ? SUCCESS : ERROR;
    }
}
