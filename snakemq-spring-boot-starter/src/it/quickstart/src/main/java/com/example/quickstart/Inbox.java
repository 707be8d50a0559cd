package com.example.quickstart;

import java.time.Duration;

import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SnakeMessageReceivedEvent;
import org.snakemq.spring.SnakePeerConnectedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

@Component
class Inbox {

    private final Messaging messaging;

    Inbox(Messaging messaging) {
        this.messaging = messaging;
    }

    @EventListener
    void received(SnakeMessageReceivedEvent event) {   // acknowledged once every listener returned
        System.out.println(event.identity() + " says " + event.message().text());
    }

    @EventListener
    void connected(SnakePeerConnectedEvent event) {
        messaging.send(event.identity(), Message.of("welcome").withTtl(Duration.ofMinutes(10)).persistent());
    }
}
