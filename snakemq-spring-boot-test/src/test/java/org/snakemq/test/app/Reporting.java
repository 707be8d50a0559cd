package org.snakemq.test.app;

import org.springframework.stereotype.Service;

/** A component with nothing to do with snakeMQ: a {@code @SnakeMqTest} leaves it out. */
@Service
public class Reporting {
}
