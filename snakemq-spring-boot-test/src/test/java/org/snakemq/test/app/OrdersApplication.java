package org.snakemq.test.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application under test: takes orders over snakeMQ, serves prices, asks alice for stock. */
@SpringBootApplication
public class OrdersApplication {
}
