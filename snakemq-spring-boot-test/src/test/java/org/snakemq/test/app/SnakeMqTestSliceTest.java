package org.snakemq.test.app;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

import org.snakemq.autoconfigure.SnakeMqLifecycle;
import org.snakemq.messaging.Messaging;
import org.snakemq.test.SnakeMqTest;
import org.snakemq.test.SnakeMqTestPeer;

import static org.assertj.core.api.Assertions.assertThat;

/** The slice: the application's snakeMQ side only, connected to a test peer named alice. */
@SnakeMqTest(peer = "alice")
class SnakeMqTestSliceTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    SnakeMqTestPeer alice;

    /** What alice serves over RPC. */
    public static class Stock {
        public int count(String item) {
            return item.equals("pears") ? 0 : 3;
        }
    }

    @Test
    void theListenerAnswersTheTestPeer() {
        alice.awaitConnected("bob");
        alice.send("bob", "order 1");

        assertThat(alice.awaitMessageFrom("bob").text()).isEqualTo("accepted order 1");
        assertThat(alice.received()).hasSize(1);
    }

    @Test
    void theApplicationsRpcClientCallsWhatTheTestPeerServesAndTheTestPeerCallsTheApplication() {
        alice.serve("stock", new Stock());
        alice.send("bob", "ask pears");
        alice.send("bob", "ask apples");

        assertThat(alice.awaitMessages(2)).extracting(SnakeMqTestPeer.Received::text)
                .containsExactly("sold out ask pears", "accepted ask apples");
        assertThat(context.getBean(RemoteStock.class).count("plums")).isEqualTo(3);
        PricesApi prices = alice.rpcClient("bob", "prices", PricesApi.class);
        assertThat(prices.price("pear")).isEqualTo(40);
    }

    @Test
    void recordsAreResetBeforeEachTestAndTheParameterIsTheSamePeer(SnakeMqTestPeer peer) {
        assertThat(peer).isSameAs(alice);
        assertThat(peer.received()).isEmpty();
    }

    @Test
    void onlyTheSnakeMqComponentsAreInTheSlice() {
        assertThat(context.getBeansOfType(OrderDesk.class)).hasSize(1);
        assertThat(context.getBeansOfType(Prices.class)).hasSize(1);
        assertThat(context.getBeansOfType(RemoteStock.class)).hasSize(1);
        assertThat(context.getBeansOfType(Reporting.class)).isEmpty();
        assertThat(context.getBean(Messaging.class).identity()).isEqualTo("bob");
    }

    @Test
    void theApplicationKeepsItsConnectorsGainsOneToThePeerAndListensOnAFreePort() {
        Environment environment = context.getEnvironment();
        assertThat(environment.getProperty("snakemq.connectors[0].port")).isEqualTo("1");
        assertThat(environment.getProperty("snakemq.connectors[0].reconnect-interval")).isEqualTo("5s");
        assertThat(environment.getProperty("snakemq.connectors[1].port")).isEqualTo(String.valueOf(alice.port()));
        InetSocketAddress listening = context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0);
        assertThat(listening.getPort()).isNotIn(0, 4000);
        assertThat(listening.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    /** The application's prices, as alice calls them. */
    public interface PricesApi {
        int price(String item);
    }
}
