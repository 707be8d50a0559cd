package org.snakemq.test.app;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;


import org.snakemq.test.AutoConfigureSnakeMqTestPeer;
import org.snakemq.test.SnakeMqTestPeer;

import static org.assertj.core.api.Assertions.assertThat;

/** The test peer beside a whole application ({@code @SpringBootTest}), not a slice. */
@SpringBootTest(properties = "snakemq.identity=bob")
@AutoConfigureSnakeMqTestPeer(identity = "carol")
class SpringBootTestWithPeerTest {

    @Autowired
    ApplicationContext context;

    @Test
    void theWholeApplicationTalksToThePeer(SnakeMqTestPeer carol) {
        assertThat(context.getBeansOfType(Reporting.class)).hasSize(1);
        carol.send("bob", "order 7");
        assertThat(carol.awaitMessageFrom("bob").text()).isEqualTo("accepted order 7");
        assertThat(carol.identity()).isEqualTo("carol");
    }
}
