package org.snakemq.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;
import org.springframework.aop.SpringProxy;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanNameAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.util.CustomizableThreadCreator;

import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.rpc.RemoteException;
import org.snakemq.rpc.RpcAccessPolicy;
import org.snakemq.rpc.RpcClient;
import org.snakemq.rpc.RpcServer;
import org.snakemq.spring.SnakeRpc;

/**
 * What a peer may call on {@code @SnakeRpc} beans served through real Spring proxies (CGLIB for
 * {@code @Async}, ProxyFactory with and without proxyTargetClass), and which peers may call them.
 */
class SnakeRpcSecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ApplicationContextRunner runner = SnakeMqContexts.snakeMq();

    public interface ClockApi {
        long now();
    }

    /** Everything a framework hands a bean: each kind must stay out of the peer's reach. */
    public static class Clock extends CustomizableThreadCreator implements ClockApi, InitializingBean, DisposableBean,
            BeanNameAware, ApplicationContextAware, SmartLifecycle {
        final List<String> ran = new CopyOnWriteArrayList<>();
        final List<String> asyncThreads = new CopyOnWriteArrayList<>();
        private volatile boolean running;

        @Override
        public long now() {
            return 42;
        }

        public int add(int a, int b) {
            return a + b;
        }

        @Async
        public CompletableFuture<String> later(String tag) {
            asyncThreads.add(Thread.currentThread().getName());
            return CompletableFuture.completedFuture("later " + tag);
        }

        @Override
        public void afterPropertiesSet() {
            ran.add("afterPropertiesSet");
        }

        @Override
        public void destroy() {
            ran.add("destroy");
        }

        @Override
        public void setBeanName(String name) {
            ran.add("setBeanName");
        }

        @Override
        public void setApplicationContext(ApplicationContext context) throws BeansException {
            ran.add("setApplicationContext");
        }

        @Override
        public void start() {
            running = true;
            ran.add("start");
        }

        @Override
        public void stop() {
            running = false;
            ran.add("stop");
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @PostConstruct
        public void init() {
            ran.add("init");
        }

        @PreDestroy
        public void shutdown() {
            ran.add("shutdown");
        }

        @Autowired(required = false)
        public void setHelper(Helper helper) {
            ran.add("setHelper");
        }
    }

    public static class Helper {
    }

    /** Every excluded kind by the name a peer would call it. */
    private static final List<String> NEVER = List.of(
            // Object
            "toString", "hashCode", "equals", "getClass", "wait", "notify",
            // Spring AOP's proxy interfaces
            "toProxyConfigString", "removeAdvisor", "getAdvisorCount", "getAdvisors", "getTargetSource",
            "setTargetSource", "isFrozen", "addAdvice", "getTargetClass", "getProxiedInterfaces", "getDecoratedClass",
            // lifecycle and Aware callbacks
            "afterPropertiesSet", "destroy", "setBeanName", "setApplicationContext", "start", "stop", "isRunning",
            "getPhase", "isAutoStartup",
            // @PostConstruct, @PreDestroy, @Autowired
            "init", "shutdown", "setHelper",
            // public setters and methods of a Spring base class
            "setThreadNamePrefix", "setDaemon", "setThreadPriority", "setThreadGroupName", "createThread",
            // CGLIB's Factory
            "setCallbacks", "setCallback", "getCallbacks", "newInstance");

    @Configuration(proxyBeanMethods = false)
    @EnableAsync(proxyTargetClass = true)
    static class AsyncClock {
        @Bean
        @SnakeRpc("clock")
        Clock clock() {
            return new Clock();
        }
    }

    /** The reproduction of the report: a stranger calls the proxy's and the lifecycle's methods. */
    @Test
    void aStrangerCannotReachTheProxyOrTheLifecycleOfAnAsyncBean() {
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING).withUserConfiguration(AsyncClock.class).run(bob -> {
            assertThat(bob).hasNotFailed();
            Object bean = bob.getBean("clock");
            assertThat(AopUtils.isCglibProxy(bean)).as("@Async made a CGLIB proxy").isTrue();
            Clock clock = org.springframework.test.util.AopTestUtils.getTargetObject(bean); // fields live in the target
            int advisors = ((Advised) bean).getAdvisors().length;
            List<String> ranBefore = List.copyOf(clock.ran);
            int port = bob.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (Stranger stranger = new Stranger(port)) {
                for (Object[] attempt : new Object[][] {{"toProxyConfigString"}, {"removeAdvisor", 0},
                        {"getAdvisorCount"}, {"destroy"}}) {
                    String method = (String) attempt[0];
                    Object[] args = java.util.Arrays.copyOfRange(attempt, 1, attempt.length);
                    assertThatThrownBy(() -> stranger.call("clock", method, args), method)
                            .isInstanceOfSatisfying(RemoteException.class, e -> {
                                assertThat(e.remoteClassName()).isEqualTo("snakemq.rpc.NoMethodError");
                                assertThat(e.remoteMessage()).isEqualTo(method);
                            });
                }
                for (String method : NEVER) {
                    assertThatThrownBy(() -> stranger.call("clock", method), method)
                            .isInstanceOfSatisfying(RemoteException.class,
                                    e -> assertThat(e.remoteClassName()).isEqualTo("snakemq.rpc.NoMethodError"));
                }
                assertThat(((Advised) bean).getAdvisors()).as("the advice is still there").hasSize(advisors);
                assertThat(clock.ran).as("no callback ran").isEqualTo(ranBefore);

                // the application's methods are served, through the proxy: @Async still applies
                assertThat(stranger.call("clock", "add", 2, 3)).isEqualTo(5);
                assertThat(stranger.call("clock", "later", "x")).isEqualTo("later x");
                assertThat(clock.asyncThreads).hasSize(1).noneMatch(name -> name.startsWith("snakemq-rpc-"));
            }
            assertThat(bob.getBean(RpcServer.class).methodNames("clock"))
                    .containsExactlyInAnyOrder("now", "add", "later");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ProxiedClocks {
        @Bean
        @SnakeRpc("cglib")
        Object cglibClock() {
            ProxyFactory factory = new ProxyFactory(new Clock());
            factory.setProxyTargetClass(true);
            factory.addAdvice((org.aopalliance.intercept.MethodInterceptor) invocation -> invocation.proceed());
            return factory.getProxy();
        }

        @Bean
        @SnakeRpc("jdk")
        Object jdkClock() {
            ProxyFactory factory = new ProxyFactory(new Clock());
            factory.setInterfaces(ClockApi.class);
            factory.addAdvice((org.aopalliance.intercept.MethodInterceptor) invocation -> invocation.proceed());
            return factory.getProxy();
        }

        @Bean
        @SnakeRpc(value = "narrow", exposing = ClockApi.class)
        Clock narrowClock() {
            return new Clock();
        }
    }

    @Test
    void proxyFactoryProxiesServeTheUserClassOrTheApplicationInterfaceOnly() {
        runner.withPropertyValues("snakemq.identity=bob").withUserConfiguration(ProxiedClocks.class).run(bob -> {
            assertThat(bob).hasNotFailed();
            assertThat(AopUtils.isCglibProxy(bob.getBean("cglibClock"))).isTrue();
            assertThat(AopUtils.isJdkDynamicProxy(bob.getBean("jdkClock"))).isTrue();
            assertThat(bob.getBean("jdkClock")).isInstanceOf(SpringProxy.class).isInstanceOf(Advised.class);
            RpcServer server = bob.getBean(RpcServer.class);
            assertThat(server.methodNames("cglib")).containsExactlyInAnyOrder("now", "add", "later");
            assertThat(server.methodNames("jdk")).containsExactly("now");
            assertThat(server.methodNames("narrow")).containsExactly("now");
            for (String name : List.of("cglib", "jdk", "narrow")) {
                assertThat(server.methodNames(name)).as(name).doesNotContainAnyElementsOf(NEVER);
            }
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class BadExposing {
        @Bean
        @SnakeRpc(value = "clock", exposing = Runnable.class)
        Clock clock() {
            return new Clock();
        }
    }

    @Test
    void exposingAnInterfaceTheBeanLacksFailsTheStart() {
        runner.withPropertyValues("snakemq.identity=bob").withUserConfiguration(BadExposing.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("@SnakeRpc on bean 'clock'")
                    .hasStackTraceContaining("is not a java.lang.Runnable");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Guarded {
        @Bean
        @SnakeRpc(value = "admin", allowedPeers = {"ops", "alice"})
        Clock admin() {
            return new Clock();
        }

        @Bean
        @SnakeRpc("public")
        Clock open() {
            return new Clock();
        }

        /** Nobody may call "add" on any object, whatever allowedPeers says. */
        @Bean
        RpcAccessPolicy noAdding() {
            return call -> !call.method().equals("add");
        }
    }

    @Test
    void allowedPeersAndAPolicyBeanDecideWhoMayCall() {
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING).withUserConfiguration(Guarded.class).run(bob -> {
            assertThat(bob).hasNotFailed();
            int port = bob.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (Stranger mallory = new Stranger(port, "mallory"); Stranger alice = new Stranger(port, "alice")) {
                assertThatThrownBy(() -> mallory.call("admin", "now")).isInstanceOfSatisfying(RemoteException.class,
                        e -> {
                            assertThat(e.remoteClassName()).isEqualTo("builtins.PermissionError");
                            assertThat(e.remoteMessage()).contains("mallory").contains("admin.now");
                        });
                assertThat(mallory.call("public", "now")).isEqualTo(42);
                assertThat(alice.call("admin", "now")).isEqualTo(42);
                for (Stranger peer : List.of(mallory, alice)) {
                    assertThatThrownBy(() -> peer.call("public", "add", 1, 2))
                            .isInstanceOfSatisfying(RemoteException.class,
                                    e -> assertThat(e.remoteClassName()).isEqualTo("builtins.PermissionError"));
                }
            }
            assertThat(bob.getBean(RpcServer.class).deniedCalls()).isEqualTo(3);
        });
    }

    @Test
    void theLimitPerPeerIsAProperty() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.rpc.max-calls-per-peer=3").run(context ->
                assertThat(context.getBean(RpcServer.class).maxCallsPerPeer()).isEqualTo(3));
        runner.withPropertyValues("snakemq.identity=bob").run(context ->
                assertThat(context.getBean(RpcServer.class).maxCallsPerPeer()).isEqualTo(RpcServer.DEFAULT_MAX_CALLS_PER_PEER));
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.rpc.max-calls-per-peer=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("snakemq.rpc.max-calls-per-peer");
        });
    }

    @Test
    void connectionLimitsAreProperties() {
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.link.max-connections=500",
                "snakemq.link.max-connections-per-address=7").run(context -> {
            org.snakemq.link.LinkOptions options = context.getBean(org.snakemq.link.Link.class).options();
            assertThat(options.maxConnections()).isEqualTo(500);
            assertThat(options.maxConnectionsPerAddress()).isEqualTo(7);
        });
        runner.withPropertyValues("snakemq.identity=bob").run(context -> {
            org.snakemq.link.LinkOptions options = context.getBean(org.snakemq.link.Link.class).options();
            assertThat(options.maxConnections()).isEqualTo(10_000);
            assertThat(options.maxConnectionsPerAddress()).isEqualTo(1_000);
        });
        runner.withPropertyValues("snakemq.identity=bob", "snakemq.link.max-connections-per-address=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("snakemq.link.max-connections-per-address");
        });
    }

    @Test
    void aConnectionBeyondTheConfiguredLimitIsClosedAtOnce() {
        runner.withPropertyValues(SnakeMqContexts.BOB_LISTENING)
                .withPropertyValues("snakemq.link.max-connections-per-address=1").run(bob -> {
            int port = bob.getBean(SnakeMqLifecycle.class).boundAddresses().get(0).getPort();
            try (Stranger first = new Stranger(port, "first")) {
                int read;
                try (java.net.Socket second = new java.net.Socket()) {
                    second.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
                    second.setSoTimeout(10_000);
                    read = second.getInputStream().read();
                } catch (java.net.SocketException reset) {
                    read = -1; // reset while connecting or reading
                }
                assertThat(read).as("closed without a byte").isEqualTo(-1);
                assertThat(bob.getBean(org.snakemq.link.Link.class).refusedConnections()).isEqualTo(1);
                // the first connection is still served: it gets its answer
                assertThatThrownBy(() -> first.call("nobody", "x")).isInstanceOfSatisfying(RemoteException.class,
                        e -> assertThat(e.remoteClassName()).isEqualTo("snakemq.rpc.NoInstanceError"));
            }
        });
    }

    /** A plain-Java peer that calls bob, as the CLI would. */
    private static final class Stranger implements AutoCloseable {
        final CorePeer peer;
        final RpcClient client;

        Stranger(int port) {
            this(port, "stranger");
        }

        Stranger(int port, String identity) {
            peer = new CorePeer(identity);
            client = new RpcClient(new ReceiveHook(peer.messaging));
            peer.connectTo(port, null);
            Messaging messaging = peer.messaging;
            await().atMost(WAIT).until(() -> messaging.isConnected("bob"));
        }

        Object call(String object, String method, Object... args) {
            return client.newCall("bob", object, method).args(args).timeout(WAIT).call();
        }

        @Override
        public void close() {
            client.close();
            peer.close();
        }
    }
}
