package com.example.greeter;

import org.snakemq.delivery.Delivery;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SnakeListener;
import org.springframework.stereotype.Component;

@Component
public class Greeter {

    private final Messaging messaging;

    public Greeter(Messaging messaging) {
        this.messaging = messaging;
    }

    @SnakeListener
    void greet(String name, Delivery delivery) {
        messaging.send(delivery.sender(), Message.of("hello " + name));
    }
}
