package org.snakemq.bench;

import java.util.function.BooleanSupplier;

/**
 * One benchmark scenario: runs its children and adds its results (with baselines) to the bench.
 *
 * @param name         what {@code --scenario} selects it by, and the prefix of its RESULT lines
 * @param description  one line for {@code --list}
 * @param body         the run
 * @param availability whether this build of snakemq-core has what the scenario measures
 */
record Scenario(String name, String description, Body body, BooleanSupplier availability) {

    /** What a scenario does when it runs. */
    interface Body {
        void run(Bench bench) throws Exception;
    }

    /** A scenario that every build can run. */
    Scenario(String name, String description, Body body) {
        this(name, description, body, () -> true);
    }

    void run(Bench bench) throws Exception {
        body.run(bench);
    }

    boolean available() {
        return availability.getAsBoolean();
    }
}
