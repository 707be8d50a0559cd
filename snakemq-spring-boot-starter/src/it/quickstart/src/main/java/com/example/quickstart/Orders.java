package com.example.quickstart;

import org.snakemq.delivery.Delivery;
import org.snakemq.spring.SnakeListener;
import org.springframework.stereotype.Component;

@Component
class Orders {

    @SnakeListener(senders = "alice")                    // String: the data as text; Delivery: sender, attempt
    void onOrder(String text, Delivery delivery) {
        System.out.println("order from " + delivery.sender() + " (attempt " + delivery.attempt() + "): " + text);
    }
}
