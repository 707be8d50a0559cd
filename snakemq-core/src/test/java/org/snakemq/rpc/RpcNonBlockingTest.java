package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Methods marked {@link RpcNonBlocking} run on the server's loop thread, the others on its executor. */
class RpcNonBlockingTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    public interface Api {
        @RpcNonBlocking
        boolean onLoopByInterface();

        boolean onLoop();

        boolean onWorker();

        @RpcNonBlocking
        boolean mixed(int a);

        boolean mixed(int a, int b);
    }

    /** Reports whether each method ran on the loop thread of {@code pair}'s server. */
    public static final class Impl implements Api {
        volatile RpcPair pair;
        final AtomicInteger failures = new AtomicInteger();

        private boolean inServerLoop() {
            return pair.bob.messaging.transport().inLoop();
        }

        @Override
        public boolean onLoopByInterface() {
            return inServerLoop();
        }

        @Override
        @RpcNonBlocking
        public boolean onLoop() {
            return inServerLoop();
        }

        @Override
        public boolean onWorker() {
            return inServerLoop();
        }

        @Override
        public boolean mixed(int a) {
            return inServerLoop();
        }

        @Override
        public boolean mixed(int a, int b) {
            return inServerLoop();
        }

        @RpcNonBlocking
        public int fail(String message) {
            failures.incrementAndGet();
            throw new IllegalStateException(message);
        }

        @RpcNonBlocking
        public CompletableFuture<String> later(String text) {
            return CompletableFuture.supplyAsync(() -> text + " later");
        }
    }

    /** What a Spring CGLIB proxy of {@link Impl} looks like: overrides without the annotations. */
    public static class Proxied extends ImplBase {
        @Override
        public boolean onLoop() {
            return super.onLoop();
        }
    }

    public static class ImplBase {
        @RpcNonBlocking
        public boolean onLoop() {
            return true;
        }
    }

    public static final class ImplBase$$SpringCGLIB$$0 extends Proxied {
    }

    private static RpcPair servingOn(Executor executor, Impl impl) {
        RpcPair pair = new RpcPair(executor).start();
        impl.pair = pair;
        pair.server.register("api", impl);
        pair.client.setDefaultTimeout(WAIT);
        return pair;
    }

    @Test
    void markedMethodsRunOnTheLoopAndTheOthersOnTheExecutor() {
        try (RpcPair pair = servingOn(null, new Impl())) {
            assertThat(pair.client.call("bob", "api", "onLoop")).isEqualTo(true);
            assertThat(pair.client.call("bob", "api", "onLoopByInterface")).isEqualTo(true);
            assertThat(pair.client.call("bob", "api", "onWorker")).isEqualTo(false);
        }
    }

    @Test
    void anOverloadedNameRunsOnTheLoopOnlyWhenEveryOverloadIsMarked() {
        try (RpcPair pair = servingOn(null, new Impl())) {
            assertThat(pair.client.call("bob", "api", "mixed", 1)).isEqualTo(false);
            assertThat(pair.client.call("bob", "api", "mixed", 1, 2)).isEqualTo(false);
        }
    }

    @Test
    void markedMethodsNeedNoExecutor() {
        Executor refusing = task -> {
            throw new RejectedExecutionException("no workers in this test");
        };
        try (RpcPair pair = servingOn(refusing, new Impl())) {
            assertThat(pair.client.call("bob", "api", "onLoop")).isEqualTo(true);
            assertThatThrownBy(() -> pair.client.call("bob", "api", "onWorker"))
                    .isInstanceOf(RemoteException.class).hasMessageContaining("executor is full");
        }
    }

    @Test
    void anExceptionOfAMarkedMethodReachesTheCallerAndTheLoopGoesOn() {
        Impl impl = new Impl();
        try (RpcPair pair = servingOn(null, impl)) {
            assertThatThrownBy(() -> pair.client.call("bob", "api", "fail", "broken"))
                    .isInstanceOf(RemoteException.class).hasMessageContaining("broken");
            assertThat(impl.failures).hasValue(1);
            assertThat(pair.client.call("bob", "api", "onLoop")).isEqualTo(true);
        }
    }

    @Test
    void aMarkedMethodMayAnswerLaterThroughAStage() {
        try (RpcPair pair = servingOn(null, new Impl())) {
            assertThat(pair.client.call("bob", "api", "later", "reply")).isEqualTo("reply later");
        }
    }

    @Test
    void theMarkIsReadPerName() {
        RemoteObject object = new RemoteObject("api", new Impl());
        assertThat(object.nonBlocking("onLoop")).isTrue();
        assertThat(object.nonBlocking("onLoopByInterface")).isTrue();
        assertThat(object.nonBlocking("onWorker")).isFalse();
        assertThat(object.nonBlocking("mixed")).isFalse();
        assertThat(object.nonBlocking("unknown")).isFalse();
        assertThat(object.bind("onLoop", List.of(), Map.of()).signal()).isFalse();
    }

    @Test
    void theMarkOfAnOverriddenMethodCountsBehindAProxy() {
        assertThat(new RemoteObject("api", new Proxied()).nonBlocking("onLoop")).isTrue();
        assertThat(new RemoteObject("api", new ImplBase$$SpringCGLIB$$0()).nonBlocking("onLoop")).isTrue();
    }
}
