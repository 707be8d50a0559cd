package org.snakemq.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.snakemq.autoconfigure.delivery.SnakeMqDeliveryAutoConfiguration;
import org.snakemq.autoconfigure.metrics.SnakeMqMetricsAutoConfiguration;
import org.snakemq.autoconfigure.observation.SnakeMqObservationAutoConfiguration;
import org.snakemq.rpc.RpcClient;
import org.snakemq.rpc.RpcClientInterceptor;
import org.snakemq.rpc.RpcServer;
import org.snakemq.rpc.RpcServerInterceptor;
import org.snakemq.spring.SnakeListenerInterceptor;
import org.snakemq.spring.metrics.RpcCallTimer;
import org.snakemq.spring.observation.DefaultSnakeMqRpcClientObservationConvention;
import org.snakemq.spring.observation.ObservationRpcClientInterceptor;
import org.snakemq.spring.observation.ObservationRpcServerInterceptor;
import org.snakemq.spring.observation.ObservationSnakeListenerInterceptor;
import org.snakemq.spring.observation.PeerTagLimit;
import org.snakemq.spring.observation.SnakeMqRpcClientContext;
import org.snakemq.spring.observation.SnakeMqRpcClientObservationConvention;
import org.snakemq.spring.observation.SnakeMqSendObserver;

/** When the observation beans exist, what they replace, and how a convention bean customises them. */
class SnakeMqObservationAutoConfigurationTest {

    /** The SnakeMQ auto-configurations every test here has; each adds what its case needs. */
    private static final ApplicationContextRunner SNAKEMQ = SnakeMqContexts.snakeMq(
            SnakeMqMetricsAutoConfiguration.class, SnakeMqObservationAutoConfiguration.class);

    private final ApplicationContextRunner runner = SNAKEMQ
            .withConfiguration(AutoConfigurations.of(SnakeMqDeliveryAutoConfiguration.class,
                    ObservationAutoConfiguration.class))
            .withConfiguration(SnakeMqContexts.SIMPLE_METRICS)
            .withPropertyValues("snakemq.identity=bob");

    @Test
    void offByDefaultEvenWithARegistry() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ObservationRegistry.class)
                    .doesNotHaveBean(SnakeMqSendObserver.class).doesNotHaveBean(ObservationRpcClientInterceptor.class)
                    .doesNotHaveBean(ObservationRpcServerInterceptor.class)
                    .doesNotHaveBean(ObservationSnakeListenerInterceptor.class)
                    .hasSingleBean(RpcCallTimer.class);
            assertThat(context.getBean(RpcClient.class).interceptor()).isSameAs(RpcClientInterceptor.NONE);
            assertThat(context.getBean(RpcServer.class).interceptor()).isSameAs(RpcServerInterceptor.NONE);
        });
    }

    @Test
    void enabledObservesRpcAndListenersAndTheObservationReplacesTheCallTimer() {
        runner.withPropertyValues("snakemq.observation.enabled=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SnakeMqSendObserver.class)
                    .hasSingleBean(ObservationSnakeListenerInterceptor.class)
                    .doesNotHaveBean(RpcCallTimer.class);
            assertThat(context.getBean(RpcClient.class).interceptor())
                    .isSameAs(context.getBean(ObservationRpcClientInterceptor.class));
            assertThat(context.getBean(RpcServer.class).interceptor())
                    .isSameAs(context.getBean(ObservationRpcServerInterceptor.class));
        });
    }

    @Test
    void nothingWhenThePeerIsSwitchedOff() {
        SNAKEMQ.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
                .withConfiguration(SnakeMqContexts.SIMPLE_METRICS)
                .withPropertyValues("snakemq.enabled=false", "snakemq.observation.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SnakeMqSendObserver.class)
                        .doesNotHaveBean(ObservationRpcClientInterceptor.class));
    }

    @Test
    void enabledWithoutARegistryChangesNothing() {
        SNAKEMQ.withConfiguration(SnakeMqContexts.SIMPLE_METRICS)
                .withPropertyValues("snakemq.identity=bob", "snakemq.observation.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ObservationRegistry.class)
                        .doesNotHaveBean(ObservationRpcClientInterceptor.class).hasSingleBean(RpcCallTimer.class));
    }

    @Test
    void withoutMicrometerObservationOnTheClassPathTheStarterStillStarts() {
        SNAKEMQ.withConfiguration(AutoConfigurations.of(SnakeMqDeliveryAutoConfiguration.class))
                .withPropertyValues("snakemq.identity=bob", "snakemq.observation.enabled=true")
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RpcClient.class)
                        .doesNotHaveBean(ObservationRpcClientInterceptor.class));
    }

    @Test
    void aConventionBeanReplacesTheDefault() {
        runner.withPropertyValues("snakemq.observation.enabled=true").withUserConfiguration(CustomConvention.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ObservationRegistry registry = context.getBean(ObservationRegistry.class);
                    java.util.List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();
                    registry.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
                        @Override
                        public boolean supportsContext(io.micrometer.observation.Observation.Context c) {
                            return c instanceof SnakeMqRpcClientContext;
                        }

                        @Override
                        public void onStop(io.micrometer.observation.Observation.Context c) {
                            names.add(c.getName() + " " + c.getLowCardinalityKeyValue("team").getValue());
                        }
                    });
                    RpcClientInterceptor interceptor = context.getBean(RpcClient.class).interceptor();
                    interceptor.intercept(new RpcClientInterceptor.OutgoingCall("alice", "clock", "now",
                            RpcClientInterceptor.Kind.ASYNC_CALL), headers -> CompletableFuture.completedFuture(1));
                    assertThat(names).containsExactly("snakemq.rpc.client.calls blue");
                });
    }

    @Test
    void springBootsObservationSwitchTurnsOneObservationOffByName() {
        runner.withPropertyValues("snakemq.observation.enabled=true",
                "management.observations.enable.snakemq.rpc.client=false").run(context -> {
            assertThat(context).hasNotFailed();
            java.util.List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
            context.getBean(ObservationRegistry.class).observationConfig().observationHandler(
                    new io.micrometer.observation.ObservationHandler<>() {
                        @Override
                        public boolean supportsContext(io.micrometer.observation.Observation.Context c) {
                            return true;
                        }

                        @Override
                        public void onStart(io.micrometer.observation.Observation.Context c) {
                            started.add(c.getName());
                        }
                    });
            RpcClientInterceptor.OutgoingCall call = new RpcClientInterceptor.OutgoingCall("alice", "clock", "now",
                    RpcClientInterceptor.Kind.CALL);
            assertThat(context.getBean(RpcClient.class).interceptor().intercept(call, headers -> headers))
                    .isEqualTo(org.snakemq.message.Headers.EMPTY);
            context.getBean(RpcServer.class).interceptor().intercept(new RpcServerInterceptor.IncomingCall("alice",
                    "clock", "now", false, org.snakemq.message.Headers.EMPTY), () -> 1);
            assertThat(started).containsExactly("snakemq.rpc.server.calls");
        });
    }

    @Test
    void listenerInterceptorBeansAndRpcInterceptorBeansAreAllApplied() {
        runner.withPropertyValues("snakemq.observation.enabled=true").withUserConfiguration(OwnInterceptors.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    java.util.List<String> seen = context.getBean(OwnInterceptors.class).seen;
                    Object result = context.getBean(RpcClient.class).interceptor().intercept(
                            new RpcClientInterceptor.OutgoingCall("alice", "clock", "now", RpcClientInterceptor.Kind.CALL),
                            headers -> headers.get("x-own"));
                    assertThat(result).isEqualTo("yes");
                    assertThat(seen).containsExactly("client now");
                });
    }

    @Test
    void aNegativePeerTagLimitFailsNamingTheProperty() {
        runner.withPropertyValues("snakemq.observation.enabled=true", "snakemq.metrics.max-peer-tags=-1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining("snakemq.metrics.max-peer-tags");
                });
    }

    @Test
    void peerTagLimitKeepsTheFirstPeersAndTagsTheRestOther() {
        PeerTagLimit limit = new PeerTagLimit(2);
        assertThat(limit.tag("a")).isEqualTo("a");
        assertThat(limit.tag("b")).isEqualTo("b");
        assertThat(limit.tag("c")).isEqualTo("other");
        assertThat(limit.tag("a")).isEqualTo("a");
        assertThat(new PeerTagLimit(0).tag("a")).isEqualTo("other");
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomConvention {
        @Bean
        SnakeMqRpcClientObservationConvention teamConvention() {
            return new DefaultSnakeMqRpcClientObservationConvention() {
                @Override
                public KeyValues getLowCardinalityKeyValues(SnakeMqRpcClientContext context) {
                    return super.getLowCardinalityKeyValues(context).and("team", "blue");
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnInterceptors {
        final java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Bean
        RpcClientInterceptor ownClientInterceptor() {
            return (call, next) -> {
                seen.add("client " + call.method());
                return next.proceed(org.snakemq.message.Headers.of("x-own", "yes"));
            };
        }

        @Bean
        SnakeListenerInterceptor ownListenerInterceptor() {
            return (delivery, next) -> next.proceed();
        }
    }
}
