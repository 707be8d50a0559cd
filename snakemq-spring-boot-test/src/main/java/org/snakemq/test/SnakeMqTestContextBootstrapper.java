package org.snakemq.test;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/** Reads {@link SnakeMqTest#properties()}. */
final class SnakeMqTestContextBootstrapper extends TestSliceTestContextBootstrapper<SnakeMqTest> {
}
