package org.snakemq.test.app;

import org.springframework.stereotype.Component;

import org.snakemq.spring.SnakeRpc;

/** Served over RPC as "prices". */
@Component
@SnakeRpc("prices")
public class Prices {

    public int price(String item) {
        return item.length() * 10;
    }
}
