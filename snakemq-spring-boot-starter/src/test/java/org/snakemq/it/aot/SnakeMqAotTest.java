package org.snakemq.it.aot;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.ClassUtils;

import org.snakemq.autoconfigure.SnakeMqLifecycle;
import org.snakemq.link.Link;
import org.snakemq.message.Message;
import org.snakemq.messaging.Messaging;
import org.snakemq.packeter.Packeter;
import org.snakemq.rpc.RpcServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter ahead of time: the hints it registers for what it does by reflection and with JDK
 * proxies, and an application started from its generated code.
 */
class SnakeMqAotTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Map<String, Object> PROPERTIES = Map.of("snakemq.identity", "bob",
            "snakemq.listeners[0].host", "127.0.0.1", "snakemq.listeners[0].port", "0");

    @Test
    void hintsCoverRpcClientProxiesServedBeansTheirValueTypesAndListenerMethods() throws Exception {
        RuntimeHints hints = AotContexts.process(AotApplication.class, PROPERTIES).hints();

        assertThat(RuntimeHintsPredicates.proxies().forInterfaces(RemoteClock.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RemoteClock.class, "now")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AotApplication.Clock.class, "now"))
                .accepts(hints);
        // a record crosses the wire: its constructor and accessors are used to build and read it
        assertThat(RuntimeHintsPredicates.reflection().onType(AotApplication.Reading.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AotApplication.Reading.class, "zone"))
                .accepts(hints);
        Method listener = AotApplication.Inbox.class.getDeclaredMethod("on", String.class,
                org.snakemq.delivery.Delivery.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(listener)).accepts(hints);
        // nothing for beans the starter does not call by reflection
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AotApplication.class, "clock"))
                .rejects(hints);
    }

    @Test
    void theStartersOwnHintsAreRegisteredThroughAotFactories() {
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                .load(RuntimeHintsRegistrar.class))
                .anySatisfy(r -> assertThat(r.getClass().getName()).isEqualTo("org.snakemq.autoconfigure.aot.SnakeMqRuntimeHints"));
        RuntimeHints hints = AotContexts.process(AotApplication.class, PROPERTIES).hints();
        boolean epoll = ClassUtils.isPresent("io.netty.channel.epoll.Epoll", getClass().getClassLoader());
        assertThat(RuntimeHintsPredicates.reflection().onType(
                org.springframework.aot.hint.TypeReference.of("io.netty.channel.epoll.Epoll")).test(hints))
                .as("the epoll probe is hinted exactly when epoll is on the class path").isEqualTo(epoll);
    }

    @Test
    void anApplicationStartsFromItsGeneratedCodeAlone(@TempDir Path dir) throws Exception {
        AotContexts.Processed processed = AotContexts.process(AotApplication.class, PROPERTIES);
        try (GenericApplicationContext bob = processed.start(dir);
             Link aliceLink = new Link()) {
            // one client proxy: the generated definition, not a second one from scanning again at run time
            assertThat(bob.getBeansOfType(RemoteClock.class)).hasSize(1);
            assertThat(bob.getBean(RemoteClock.class)).isInstanceOf(java.lang.reflect.Proxy.class);
            assertThat(bob.getBean(RpcServer.class).methodNames("clock")).contains("now");

            Messaging alice = new Messaging("alice", "", new Packeter(aliceLink));
            int port = bob.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            aliceLink.addConnector(new InetSocketAddress("127.0.0.1", port), Duration.ofMillis(100), null);
            aliceLink.start();
            alice.send("bob", Message.of("hello"));
            AotApplication.Inbox inbox = bob.getBean(AotApplication.Inbox.class);
            await().atMost(WAIT).until(() -> inbox.received.contains("alice:hello"));
        }
    }
}
