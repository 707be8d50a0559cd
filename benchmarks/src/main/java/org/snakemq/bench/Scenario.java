package org.snakemq.bench;

/** One benchmark scenario: runs its children, adds its results (with baselines) to the bench. */
interface Scenario {

    String name();

    /** One line for --list. */
    String description();

    void run(Bench bench) throws Exception;

    /** Whether this build of snakemq-core has what the scenario measures. */
    default boolean available() {
        return true;
    }
}
