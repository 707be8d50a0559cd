package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Headers;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.testing.RawPeer;
import org.snakemq.testing.TestPeer;

/** The interceptors of RpcClient and RpcServer: what they see, and that they stand around each call. */
class RpcInterceptorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    public interface Api {
        int add(int a, int b);

        CompletableFuture<Integer> addLater(int a, int b);

        @RpcSignal
        void note(String text);

        @RpcName("shout_loud")
        String shout(String text);

        void fail();
    }

    public static final class Impl implements Api {
        final List<String> notes = new CopyOnWriteArrayList<>();

        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public CompletableFuture<Integer> addLater(int a, int b) {
            return CompletableFuture.supplyAsync(() -> a + b);
        }

        @Override
        public void note(String text) {
            notes.add(text);
        }

        @Override
        public String shout(String text) {
            return text.toUpperCase();
        }

        @Override
        public void fail() {
            throw new IllegalStateException("broken");
        }
    }

    /** A started client and server, the server serving {@link Impl} as {@code api}. */
    private static RpcPair servingApi() {
        return RpcPair.serving("api", new Impl());
    }

    @Test
    void interceptorsSeeEveryCallWithItsNamesKindAndOutcome() throws Exception {
        List<String> client = new CopyOnWriteArrayList<>();
        List<String> server = new CopyOnWriteArrayList<>();
        Impl impl = new Impl();
        try (RpcPair pair = RpcPair.serving("api", impl)) {
            pair.client.setInterceptor((call, next) -> {
                Object result = next.proceed(Headers.of("x-test", call.method()));
                client.add(call.peer() + " " + call.object() + "." + call.method() + " " + call.kind());
                return result;
            });
            pair.server.setInterceptor((call, next) -> {
                server.add(call.peer() + " " + call.object() + "." + call.method() + (call.signal() ? " signal" : ""));
                return next.proceed();
            });
            Api api = pair.client.proxy("bob", "api", Api.class);

            assertThat(api.add(2, 3)).isEqualTo(5);
            assertThat(api.addLater(4, 5).get(10, TimeUnit.SECONDS)).isEqualTo(9);
            assertThat(api.shout("hi")).isEqualTo("HI");
            api.note("n1");
            assertThat(pair.client.newCall("bob", "api", "add").args(1, 1).call(int.class)).isEqualTo(2);
            assertThatThrownBy(api::fail).isInstanceOf(RemoteException.class);
            await().atMost(WAIT).until(() -> impl.notes.contains("n1") && server.size() == 6);

            assertThat(client).containsExactly("bob api.add CALL", "bob api.addLater ASYNC_CALL",
                    "bob api.shout_loud CALL", "bob api.note SIGNAL", "bob api.add CALL");
            assertThat(server).containsExactlyInAnyOrder("alice api.add", "alice api.addLater", "alice api.shout_loud",
                    "alice api.note signal", "alice api.add", "alice api.fail");
        }
    }

    @Test
    void headersTheClientInterceptorGivesReachTheServerInterceptorOfAJavaPeer() throws Exception {
        List<Headers> seen = new CopyOnWriteArrayList<>();
        try (RpcPair pair = servingApi()) {
            pair.server.setInterceptor((call, next) -> {
                seen.add(call.headers());
                return next.proceed();
            });
            Api api = pair.client.proxy("bob", "api", Api.class);
            assertThat(api.add(1, 2)).isEqualTo(3);
            pair.client.setInterceptor((call, next) -> next.proceed(Headers.of("traceparent", call.method())));
            assertThat(api.add(1, 2)).isEqualTo(3);
            assertThat(api.addLater(1, 2).get(10, TimeUnit.SECONDS)).isEqualTo(3);
            api.note("n");
            await().atMost(WAIT).until(() -> seen.size() == 4);
            assertThat(seen).containsExactlyInAnyOrder(Headers.EMPTY, Headers.of("traceparent", "add"),
                    Headers.of("traceparent", "addLater"), Headers.of("traceparent", "note"));
        }
    }

    @Test
    void aProtocolOneServerGetsTheRequestAsAPlainMessageWithoutTheHeaders() throws Exception {
        try (TestPeer alice = new TestPeer("alice")) {
            InetSocketAddress address = alice.listen();
            alice.start();
            RpcClient client = new RpcClient(new ReceiveHook(alice.messaging));
            client.setInterceptor((call, next) -> next.proceed(Headers.of("traceparent", "00-abc-def-01")));
            try (RawPeer python = new RawPeer(address)) {
                python.handshake("python"); // the original protocol: no capabilities
                await().atMost(WAIT).until(() -> alice.messaging.isConnected("python"));
                client.signal("python", "api", "note", Duration.ofSeconds(30), "hello");
                byte[] frame = python.readFrame(3, 20); // 3: MESSAGE of the original protocol;
                RpcRequest request = RpcCodec.decodeRequest(Arrays.copyOfRange(frame, 25, frame.length));
                assertThat(request.object()).isEqualTo("api");
                assertThat(request.method()).isEqualTo("note");
                assertThat(request.args()).containsExactly("hello");
            } finally {
                client.close();
            }
        }
    }

    @Test
    void serverInterceptorSeesTheMethodsFailureAndAsynchronousResult() throws Exception {
        List<Object> results = new CopyOnWriteArrayList<>();
        try (RpcPair pair = servingApi()) {
            pair.server.setInterceptor((call, next) -> {
                try {
                    Object result = next.proceed();
                    results.add(result instanceof CompletableFuture<?> ? "stage" : result);
                    return result;
                } catch (Throwable e) {
                    results.add(e.getClass().getSimpleName());
                    throw e;
                }
            });
            Api api = pair.client.proxy("bob", "api", Api.class);
            assertThatThrownBy(api::fail).isInstanceOf(RemoteException.class).hasMessageContaining("broken");
            assertThat(api.addLater(1, 2).get(10, TimeUnit.SECONDS)).isEqualTo(3);
            assertThat(results).containsExactly("IllegalStateException", "stage");
        }
    }

    @Test
    void requestsRefusedBeforeTheMethodRunsDoNotReachTheServerInterceptor() {
        List<String> server = new CopyOnWriteArrayList<>();
        try (RpcPair pair = servingApi()) {
            pair.server.setInterceptor((call, next) -> {
                server.add(call.method());
                return next.proceed();
            });
            assertThatThrownBy(() -> pair.client.call("bob", "api", "missing")).isInstanceOf(RemoteException.class);
            assertThatThrownBy(() -> pair.client.call("bob", "nothing", "add", 1, 2)).isInstanceOf(RemoteException.class);
            assertThat(pair.client.call("bob", "api", "add", 1, 2)).isEqualTo(3);
            assertThat(server).containsExactly("add");
        }
    }

    @Test
    void anAsynchronousCallWhoseInterceptorLosesTheFutureFailsClearly() {
        try (RpcPair pair = servingApi()) {
            pair.client.setInterceptor((call, next) -> {
                next.proceed(Headers.EMPTY);
                return "not the future";
            });
            assertThatThrownBy(() -> pair.client.callAsync("bob", "api", "add", 1, 2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("instead of the call's future");
        }
    }

    @Test
    void interceptorsAreRequired() {
        try (RpcPair pair = new RpcPair()) {
            assertThatThrownBy(() -> pair.client.setInterceptor(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> pair.server.setInterceptor(null)).isInstanceOf(NullPointerException.class);
            assertThat(pair.client.interceptor()).isSameAs(RpcClientInterceptor.NONE);
            assertThat(pair.server.interceptor()).isSameAs(RpcServerInterceptor.NONE);
        }
    }
}
