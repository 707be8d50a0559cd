package org.snakemq.it.aot;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import org.snakemq.delivery.Delivery;
import org.snakemq.spring.SnakeListener;
import org.snakemq.spring.SnakeRpc;

/** An application with each kind of bean the starter handles by reflection, for ahead-of-time processing. */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class AotApplication {

    @Bean
    @SnakeRpc("clock")
    public Clock clock() {
        return new Clock();
    }

    @Bean
    public Inbox inbox() {
        return new Inbox();
    }

    /** A value passed to and returned from RPC methods. */
    public record Reading(String zone, long millis) {
    }

    /** Served over RPC. */
    public static class Clock {
        public Reading now(String zone) {
            return new Reading(zone, 42);
        }
    }

    /** Receives messages. */
    public static class Inbox {
        public final List<String> received = new CopyOnWriteArrayList<>();

        @SnakeListener
        void on(String text, Delivery delivery) {
            received.add(delivery.sender() + ":" + text);
        }
    }
}
