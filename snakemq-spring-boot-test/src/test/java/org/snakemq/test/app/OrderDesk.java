package org.snakemq.test.app;

import org.springframework.stereotype.Component;

import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.spring.SnakeListener;
import org.snakemq.delivery.Delivery;

/** Answers each order with "accepted ..." if alice has stock, "sold out ..." otherwise. */
@Component
public class OrderDesk {

    private final Messaging messaging;
    private final RemoteStock stock;

    public OrderDesk(Messaging messaging, RemoteStock stock) {
        this.messaging = messaging;
        this.stock = stock;
    }

    @SnakeListener
    void onOrder(String item, Delivery delivery) {
        String answer = item.startsWith("ask ") && stock.count(item.substring(4)) == 0 ? "sold out " : "accepted ";
        messaging.send(delivery.sender(), Message.of(answer + item));
    }
}
