package org.snakemq.it;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.snakemq.autoconfigure.SnakeMqLifecycle;
import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;
import org.snakemq.spring.SnakeListener;
import org.snakemq.spring.endpoint.SnakeMqEndpoint;
import org.snakemq.testing.HoldingGate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@code snakemq} actuator endpoint over HTTP, on a web server at port 0. */
class SnakeMqEndpointHttpTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void readsIdentityPeersQueuesInFlightAndDeadLettersAndActsOnThem() {
        try (ConfigurableApplicationContext bob = start("management.endpoint.snakemq.access=unrestricted");
             Link aliceLink = new Link()) {
            Messaging aliceMessaging = new Messaging("alice", "", new Packeter(aliceLink));
            Messaging messaging = bob.getBean(Messaging.class);
            AtomicInteger aliceDisconnects = new AtomicInteger();
            aliceMessaging.onDisconnect().add((c, peer) -> aliceDisconnects.incrementAndGet());
            aliceMessaging.setInboundGate(new HoldingGate()); // alice acknowledges nothing: bob's messages stay in flight
            aliceLink.addConnector(new InetSocketAddress("127.0.0.1", snakePort(bob)), Duration.ofMillis(100), null);
            aliceLink.start();
            await().atMost(WAIT).until(() -> messaging.isConnected("alice"));
            messaging.send("alice", Message.of("held 1"));
            messaging.send("alice", Message.of("held 2"));
            for (int i = 0; i < 3; i++) {
                messaging.send("carol", Message.of("waits " + i));
            }
            aliceMessaging.send("bob", Message.of("poison").withHeader("order-source", "night batch"));
            Http http = new Http(bob);
            await().atMost(WAIT).until(() -> http.json(HttpMethod.GET, "").path("deadLetters").asLong() == 1
                    && messaging.inFlight("alice") == 2);

            Http.Response overview = http.call(HttpMethod.GET, "");
            assertThat(overview.status()).isEqualTo(200);
            JsonNode root = overview.json();
            assertThat(root.path("identity").asString()).isEqualTo("bob");
            assertThat(root.path("running").asBoolean()).isTrue();
            assertThat(root.path("listeners").get(0).asString()).endsWith(":" + snakePort(bob));
            assertThat(root.path("peerCount").asInt()).isEqualTo(2);
            assertThat(peer(root.path("peers"), "alice")).isEqualTo("alice connected=true depth=2 inFlight=2");
            assertThat(peer(root.path("peers"), "carol")).isEqualTo("carol connected=false depth=3 inFlight=0");
            assertThat(http.json(HttpMethod.GET, "/peers/carol").path("queueDepth").asInt()).isEqualTo(3);
            assertThat(http.call(HttpMethod.GET, "/peers/nobody").status()).isEqualTo(404);
            assertThat(http.call(HttpMethod.GET, "/bogus").status()).isEqualTo(404);

            JsonNode letters = http.json(HttpMethod.GET, "/deadletters");
            assertThat(letters.path("count").asLong()).isEqualTo(1);
            JsonNode letter = letters.path("deadLetters").get(0);
            assertThat(letter.path("sender").asString()).isEqualTo("alice");
            assertThat(letter.path("errorMessage").asString()).isEqualTo("cannot parse poison");
            assertThat(letter.path("headers").path("order-source").asString()).isEqualTo("night batch");
            long id = letter.path("id").asLong();
            assertThat(http.json(HttpMethod.GET, "/deadletters/" + id).path("attempts").asInt()).isEqualTo(2);
            JsonNode replay = http.json(HttpMethod.POST, "/deadletters/" + id);
            assertThat(replay.path("replayed").asBoolean()).as("the listener still refuses it").isFalse();
            assertThat(replay.path("outcome").asString()).contains("cannot parse poison");
            assertThat(http.json(HttpMethod.DELETE, "/deadletters/" + id).path("count").asInt()).isEqualTo(1);
            assertThat(http.call(HttpMethod.GET, "/deadletters/" + id).status()).isEqualTo(404);

            JsonNode purge = http.json(HttpMethod.DELETE, "/queues/carol");
            assertThat(purge.path("count").asInt()).isEqualTo(3);
            assertThat(messaging.queueSize("carol")).isZero();
            assertThat(http.call(HttpMethod.GET, "/peers/carol").status()).isEqualTo(404);

            JsonNode disconnect = http.json(HttpMethod.DELETE, "/peers/alice");
            assertThat(disconnect.path("count").asInt()).isEqualTo(1);
            await().atMost(WAIT).until(() -> aliceDisconnects.get() == 1);
            assertThat(messaging.queueSize("alice")).as("the queue stays").isEqualTo(2);
        }
    }

    @Test
    void badInputIsABadRequestThatSaysWhy() {
        // Boot hides error messages unless told to include them
        try (ConfigurableApplicationContext bob = start("management.endpoint.snakemq.access=unrestricted",
                "spring.web.error.include-message=always")) {
            Http http = new Http(bob);
            Http.Response notANumber = http.call(HttpMethod.GET, "/deadletters/abc");
            assertThat(notANumber.status()).isEqualTo(400);
            assertThat(notANumber.body()).contains("a dead letter's id is a number");
            assertThat(http.call(HttpMethod.DELETE, "/bogus/x").status()).isEqualTo(400);
            assertThat(http.call(HttpMethod.POST, "/peers/alice").status()).isEqualTo(400);
        }
    }

    @Test
    void readOnlyByDefault() {
        try (ConfigurableApplicationContext bob = start()) {
            Messaging messaging = bob.getBean(Messaging.class);
            messaging.send("carol", Message.of("waits"));
            Http http = new Http(bob);
            await().atMost(WAIT).until(() -> http.json(HttpMethod.GET, "").path("peerCount").asInt() == 1);

            assertThat(http.call(HttpMethod.DELETE, "/queues/carol").status()).isEqualTo(405);
            assertThat(http.call(HttpMethod.POST, "/deadletters/1").status()).isEqualTo(405);
            assertThat(messaging.queueSize("carol")).isEqualTo(1);
        }
    }

    @Test
    void notOnTheWebUnlessExposed() {
        try (ConfigurableApplicationContext bob = new SpringApplicationBuilder(ListenerApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties(common())
                .run()) {
            Http http = new Http(bob);
            assertThat(http.call(HttpMethod.GET, "").status()).isEqualTo(404);
            assertThat(bob.getBeansOfType(SnakeMqEndpoint.class)).isEmpty();
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(ListenerApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties(common())
                .properties("management.endpoints.web.exposure.include=snakemq")
                .properties(properties)
                .run();
    }

    private static String[] common() {
        return new String[] {"spring.main.banner-mode=off", "server.port=0", "server.address=127.0.0.1",
                "snakemq.identity=bob", "snakemq.listeners[0].host=127.0.0.1", "snakemq.listeners[0].port=0",
                "snakemq.delivery.retry.max-attempts=2", "snakemq.delivery.retry.initial-delay=10ms",
                "snakemq.delivery.retry.max-delay=20ms"};
    }

    private static int snakePort(ConfigurableApplicationContext context) {
        return context.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
    }

    private static String peer(JsonNode peers, String identity) {
        for (JsonNode peer : peers) {
            if (peer.path("identity").asString().equals(identity)) {
                return identity + " connected=" + peer.path("connected").asBoolean() + " depth="
                        + peer.path("queueDepth").asInt() + " inFlight=" + peer.path("inFlight").asInt();
            }
        }
        return identity + " missing";
    }

    /** Requests to the endpoint of a running application; every status is returned, none thrown. */
    private static final class Http {
        private final RestClient client;

        Http(ConfigurableApplicationContext context) {
            String port = context.getEnvironment().getProperty("local.server.port");
            this.client = RestClient.create("http://127.0.0.1:" + port + "/actuator/snakemq");
        }

        Response call(HttpMethod method, String path) {
            return client.method(method).uri(path).exchange((request, response) -> new Response(
                    response.getStatusCode().value(),
                    new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
        }

        JsonNode json(HttpMethod method, String path) {
            Response response = call(method, path);
            assertThat(response.status()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
            return response.json();
        }

        record Response(int status, String body) {
            JsonNode json() {
                return JSON.readTree(body);
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Refuser.class)
    static class ListenerApplication {
    }

    /** Refuses "poison", every time. */
    static class Refuser {
        @SnakeListener
        void on(String text) {
            if (text.equals("poison")) {
                throw new IllegalArgumentException("cannot parse poison");
            }
        }
    }
}
