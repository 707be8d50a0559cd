package com.example.greeter;

import org.junit.jupiter.api.Test;
import org.snakemq.message.Message;
import org.snakemq.test.SnakeMqTest;
import org.snakemq.test.SnakeMqTestPeer;

import static org.assertj.core.api.Assertions.assertThat;

@SnakeMqTest(peer = "alice", properties = "snakemq.identity=bob")
class GreeterTests {

    @Test
    void greetsWhoeverWrites(SnakeMqTestPeer alice) {
        alice.awaitConnected("bob");
        Message name = alice.send("bob", "alice");
        alice.awaitDelivered(name);                        // bob's listener returned
        assertThat(alice.awaitMessageFrom("bob").text()).isEqualTo("hello alice");
    }
}
