package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.testing.LogCapture;
import org.snakemq.testing.TestPeer;

/**
 * What a connected peer may do to an {@link RpcServer}, over real loopback links: call only the
 * application's methods, only what the access policy allows, and only so many at once.
 */
class RpcSecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    public interface ClockApi {
        long now();

        @RpcName("add_numbers")
        int add(int a, int b);

        @RpcSignal
        void tick(String text);
    }

    public static class Clock implements ClockApi, AutoCloseable {
        final List<String> ran = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(0);

        @Override
        public long now() {
            ran.add("now");
            return 42;
        }

        @Override
        public int add(int a, int b) {
            ran.add("add");
            return a + b;
        }

        @Override
        public void tick(String text) {
            ran.add("tick " + text);
        }

        /** Blocks until the test releases it. */
        public String hold(String tag) throws InterruptedException {
            ran.add("hold " + tag);
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            return "held " + tag;
        }

        public CompletableFuture<String> later(String tag) {
            ran.add("later " + tag);
            return laterResult;
        }

        final CompletableFuture<String> laterResult = new CompletableFuture<>();

        public void destroy() {
            ran.add("destroy"); // a name of DisposableBean's method, declared by the user: served (see the starter)
        }

        @Override
        public void close() {
            ran.add("close");
        }

        @Override
        public String toString() {
            ran.add("toString");
            return "clock";
        }
    }

    /** What a CGLIB proxy adds to a bean: Spring's Advised methods. */
    public static class Clock$$SpringCGLIB$$0 extends Clock {
        public String toProxyConfigString() {
            ran.add("toProxyConfigString");
            return "advisors...";
        }

        public void removeAdvisor(int index) {
            ran.add("removeAdvisor");
        }

        public int getAdvisorCount() {
            ran.add("getAdvisorCount");
            return 1;
        }
    }

    @Test
    void methodsOfTheProxyObjectAndThePlatformAreAnsweredAsUnknownAndNeverRun() {
        Clock$$SpringCGLIB$$0 clock = new Clock$$SpringCGLIB$$0();
        try (RpcPair pair = RpcPair.serving("clock", clock)) {
            for (String method : List.of("toProxyConfigString", "getAdvisorCount", "getClass", "toString", "hashCode",
                    "wait", "notifyAll", "close")) {
                assertThatThrownBy(() -> call(pair, "clock", method), method).isInstanceOfSatisfying(RemoteException.class,
                        e -> assertThat(e.remoteClassName()).isEqualTo("snakemq.rpc.NoMethodError"));
            }
            assertThatThrownBy(() -> call(pair, "clock", "removeAdvisor", 0)).isInstanceOfSatisfying(
                    RemoteException.class, e -> assertThat(e.remoteClassName()).isEqualTo("snakemq.rpc.NoMethodError"));
            assertThat(clock.ran).isEmpty();
            assertThat(call(pair, "clock", "now")).isEqualTo(42);
            assertThat(pair.server.methodNames("clock"))
                    .containsExactlyInAnyOrder("now", "add", "add_numbers", "tick", "hold", "later", "destroy");
        }
    }

    @Test
    void requestsNamingEveryMethodOfObjectRuntimeAndProcessBuilderAreRefusedAndNothingRuns() throws Exception {
        Clock clock = new Clock();
        try (RpcPair pair = RpcPair.serving("clock", clock)) {
            Set<String> names = new LinkedHashSet<>();
            for (Class<?> type : List.of(Object.class, Runtime.class, ProcessBuilder.class)) {
                for (Method m : type.getMethods()) {
                    names.add(m.getName());
                }
                for (Method m : type.getDeclaredMethods()) {
                    names.add(m.getName());
                }
            }
            pair.server.setMaxCallsPerPeer(names.size() * 6); // all refused by the lookup, none by the limit
            List<CompletableFuture<Object>> calls = new ArrayList<>();
            for (String name : names) {
                for (String object : List.of("clock", "java.lang.Runtime", "java.lang.ProcessBuilder")) {
                    calls.add(pair.client.newCall("bob", object, name).args("sh", "-c", "touch /tmp/x")
                            .timeout(WAIT).callAsync());
                    calls.add(pair.client.newCall("bob", object, name).timeout(WAIT).callAsync());
                }
            }
            for (CompletableFuture<Object> call : calls) {
                assertThatThrownBy(() -> call.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(RemoteException.class)
                        .satisfies(e -> assertThat(((RemoteException) e.getCause()).remoteClassName())
                                .isIn("snakemq.rpc.NoMethodError", "snakemq.rpc.NoInstanceError"));
            }
            assertThat(clock.ran).isEmpty();
            assertThat(pair.bob.errors).isEmpty();
        }
    }

    @Test
    void theAccessPolicyDecidesPerPeerObjectAndMethodAndARefusalIsAPermissionError() throws Exception {
        Clock clock = new Clock();
        try (RpcPair pair = RpcPair.serving("clock", clock); LogCapture logs = new LogCapture("snakemq.rpc");
             TestPeer carol = new TestPeer("carol")) {
            List<RpcAccessPolicy.Call> asked = new CopyOnWriteArrayList<>();
            pair.server.setAccessPolicy(call -> {
                asked.add(call);
                return call.peer().equals("carol") || call.method().equals("now");
            });
            RpcClient carolClient = new RpcClient(new ReceiveHook(carol.messaging));
            carol.connectTo(pair.bob.link.listenerAddresses().get(0)).start();
            await().atMost(WAIT).until(() -> pair.bob.messaging.isConnected("carol"));

            assertThat(call(pair, "clock", "now")).isEqualTo(42);
            for (String method : List.of("add", "add_numbers")) {
                assertThatThrownBy(() -> call(pair, "clock", method, 1, 2), method)
                        .isInstanceOfSatisfying(RemoteException.class, e -> {
                            assertThat(e.remoteClassName()).isEqualTo("builtins.PermissionError");
                            assertThat(e.remoteMessage()).isEqualTo("peer 'alice' may not call clock.add_numbers");
                            assertThat(e.remoteTraceback()).isEmpty();
                        });
            }
            // unknown objects and methods get the same answer: a refused peer learns nothing about them
            assertThatThrownBy(() -> call(pair, "secret", "anything")).isInstanceOfSatisfying(RemoteException.class,
                    e -> assertThat(e.remoteClassName()).isEqualTo("builtins.PermissionError"));
            assertThatThrownBy(() -> call(pair, "clock", "nope")).isInstanceOfSatisfying(RemoteException.class,
                    e -> assertThat(e.remoteClassName()).isEqualTo("builtins.PermissionError"));
            pair.client.signal("bob", "clock", "tick", Duration.ofSeconds(10), "from alice");
            assertThat(carolClient.newCall("bob", "clock", "add_numbers").args(2, 3).timeout(WAIT).call()).isEqualTo(5);
            carolClient.signal("bob", "clock", "tick", Duration.ofSeconds(10), "from carol");
            await().atMost(WAIT).until(() -> clock.ran.contains("tick from carol") && pair.server.deniedCalls() == 5);

            assertThat(clock.ran).containsExactly("now", "add", "tick from carol");
            RpcAccessPolicy.Call first = asked.get(0);
            assertThat(first.peer()).isEqualTo("alice");
            assertThat(first.object()).isEqualTo("clock");
            assertThat(first.method()).isEqualTo("now");
            assertThat(first.signal()).isFalse();
            assertThat(first.connection().remoteAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(asked).filteredOn(c -> c.peer().equals("alice") && c.signal())
                    .extracting(RpcAccessPolicy.Call::method).containsExactly("tick");
            assertThat(logs.warnings()).anySatisfy(line -> assertThat(line)
                    .contains("refused call clock.add_numbers from peer 'alice'").contains("access policy"));
            assertThat(logs.warnings()).anySatisfy(line -> assertThat(line)
                    .contains("refused signal clock.tick from peer 'alice'"));
            carolClient.close();
        }
    }

    @Test
    void aPolicyThatThrowsRefusesTheCall() {
        Clock clock = new Clock();
        try (RpcPair pair = RpcPair.serving("clock", clock); LogCapture logs = new LogCapture("snakemq.rpc")) {
            pair.server.setAccessPolicy(call -> {
                throw new IllegalStateException("policy store down");
            });
            assertThatThrownBy(() -> call(pair, "clock", "now")).isInstanceOfSatisfying(RemoteException.class,
                    e -> assertThat(e.remoteClassName()).isEqualTo("builtins.PermissionError"));
            assertThat(clock.ran).isEmpty();
            assertThat(pair.server.deniedCalls()).isEqualTo(1);
            assertThat(logs.warnings()).anySatisfy(line -> assertThat(line).contains("access policy failed")
                    .contains("policy store down"));
            assertThat(logs.errors()).isEmpty();
        }
    }

    @Test
    void onePeerBeyondItsLimitIsAnsweredBusyAtOnceWhileOthersAreServed() throws Exception {
        Clock clock = new Clock();
        clock.release = new CountDownLatch(1);
        try (RpcPair pair = RpcPair.serving("clock", clock); LogCapture logs = new LogCapture("snakemq.rpc");
             TestPeer carol = new TestPeer("carol")) {
            pair.server.setMaxCallsPerPeer(2);
            RpcClient carolClient = new RpcClient(new ReceiveHook(carol.messaging));
            carol.connectTo(pair.bob.link.listenerAddresses().get(0)).start();
            await().atMost(WAIT).until(() -> pair.bob.messaging.isConnected("carol"));

            CompletableFuture<Object> first = pair.client.newCall("bob", "clock", "hold").args("1").timeout(WAIT).callAsync();
            CompletableFuture<Object> second = pair.client.newCall("bob", "clock", "hold").args("2").timeout(WAIT).callAsync();
            await().atMost(WAIT).until(() -> pair.server.callsInFlight("alice") == 2);

            long start = System.nanoTime();
            assertThatThrownBy(() -> pair.client.newCall("bob", "clock", "now").timeout(WAIT).call())
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.remoteClassName()).isEqualTo(ServerBusyException.class.getName());
                        assertThat(e.remoteMessage()).contains("busy").contains("'alice'").contains("2 calls");
                    });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("answered at once, not queued")
                    .isLessThan(5_000);
            pair.client.signal("bob", "clock", "tick", Duration.ofSeconds(10), "over the limit");
            await().atMost(WAIT).until(() -> pair.server.busyCalls() == 2);
            // another peer is served meanwhile
            assertThat(carolClient.newCall("bob", "clock", "now").timeout(WAIT).call()).isEqualTo(42);

            clock.release.countDown();
            assertThat(first.get(15, TimeUnit.SECONDS)).isEqualTo("held 1");
            assertThat(second.get(15, TimeUnit.SECONDS)).isEqualTo("held 2");
            await().atMost(WAIT).until(() -> pair.server.callsInFlight("alice") == 0);
            assertThat(call(pair, "clock", "now")).isEqualTo(42);
            assertThat(clock.ran).doesNotContain("tick over the limit").containsOnlyOnce("hold 1", "hold 2");
            assertThat(logs.warnings()).anySatisfy(line -> assertThat(line).contains("busy")
                    .contains("clock.now from peer 'alice'"));
            carolClient.close();
        }
    }

    @Test
    void aCallReturningAStageCountsAgainstTheLimitUntilTheStageCompletes() throws Exception {
        Clock clock = new Clock();
        try (RpcPair pair = RpcPair.serving("clock", clock)) {
            pair.server.setMaxCallsPerPeer(1);
            CompletableFuture<Object> later = pair.client.newCall("bob", "clock", "later").args("a").timeout(WAIT)
                    .callAsync();
            await().atMost(WAIT).until(() -> clock.ran.contains("later a"));
            assertThat(pair.server.callsInFlight("alice")).isEqualTo(1);
            assertThatThrownBy(() -> call(pair, "clock", "now")).isInstanceOfSatisfying(RemoteException.class,
                    e -> assertThat(e.remoteClassName()).isEqualTo(ServerBusyException.class.getName()));
            clock.laterResult.complete("done");
            assertThat(later.get(15, TimeUnit.SECONDS)).isEqualTo("done");
            await().atMost(WAIT).until(() -> pair.server.callsInFlight("alice") == 0);
            assertThat(call(pair, "clock", "now")).isEqualTo(42);
        }
    }

    @Test
    void aCallNoLongerCountsOnceItsReplyArrivedSoCallsBackToBackAtTheLimitAreAllServed() throws Exception {
        Clock clock = new Clock();
        try (RpcPair pair = RpcPair.serving("clock", clock)) {
            pair.server.setMaxCallsPerPeer(1);
            for (int i = 0; i < 300; i++) {
                assertThat(call(pair, "clock", "now")).as("call %d", i).isEqualTo(42);
                assertThat(pair.server.callsInFlight("alice")).as("counted after its reply, call %d", i).isZero();
            }
            assertThat(pair.server.busyCalls()).isZero();
        }
    }

    @Test
    void aRequestIdRepeatedInALoopWhileItsCallRunsRunsOnceAndWaitsOnce() throws Exception {
        Clock clock = new Clock();
        clock.release = new CountDownLatch(1);
        try (RpcPair pair = RpcPair.serving("clock", clock)) {
            byte[] reqId = PythonInteropTest.uuidBytes(UUID.randomUUID());
            byte[] request = RpcCodec.encodeRequest(new RpcRequest(false, "clock", "hold", List.of("r"), Map.of(), reqId));
            List<Object> replies = new CopyOnWriteArrayList<>();
            new ReceiveHook(pair.alice.messaging).register("rpcrep",
                    (c, from, m) -> replies.add(RpcCodec.decodeReply(m.data()).value()));
            pair.alice.messaging.send("bob", Message.of(request));
            assertThat(clock.entered.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicInteger seen = new AtomicInteger();
            new ReceiveHook(pair.bob.messaging).register("rpcreq", (c, from, m) -> seen.incrementAndGet());
            int repeats = 1_000;
            for (int i = 0; i < repeats; i++) {
                pair.alice.messaging.send("bob", Message.of(request));
            }
            await().atMost(WAIT).until(() -> seen.get() == repeats);
            clock.release.countDown();
            await().atMost(WAIT).until(() -> replies.size() == 2);
            // a later repeat is answered from the cache
            pair.alice.messaging.send("bob", Message.of(request));
            await().atMost(WAIT).until(() -> replies.size() == 3);
            assertThat(replies).containsOnly("held r");
            assertThat(clock.ran).containsExactly("hold r");
        }
    }

    @Test
    void aReplyLargerThanTheCacheBoundIsNotKeptAndSmallOnesAre() {
        try (RpcPair pair = new RpcPair().start()) {
            AtomicInteger runs = new AtomicInteger();
            pair.server.register("blob", new Object() {
                public byte[] make(int size) {
                    runs.incrementAndGet();
                    return new byte[size];
                }
            });
            pair.server.setReplyCacheLimits(100, 10_000);
            List<Object> replies = new CopyOnWriteArrayList<>();
            new ReceiveHook(pair.alice.messaging).register("rpcrep", (c, from, m) -> replies.add(m.data().length));
            byte[] small = RpcCodec.encodeRequest(new RpcRequest(false, "blob", "make", List.of(100), Map.of(),
                    PythonInteropTest.uuidBytes(UUID.randomUUID())));
            byte[] large = RpcCodec.encodeRequest(new RpcRequest(false, "blob", "make", List.of(20_000), Map.of(),
                    PythonInteropTest.uuidBytes(UUID.randomUUID())));
            for (int i = 0; i < 2; i++) {
                int expected = replies.size() + 1;
                pair.alice.messaging.send("bob", Message.of(small));
                await().atMost(WAIT).until(() -> replies.size() == expected);
            }
            assertThat(runs).as("the small reply came from the cache the second time").hasValue(1);
            for (int i = 0; i < 2; i++) {
                int expected = replies.size() + 1;
                pair.alice.messaging.send("bob", Message.of(large));
                await().atMost(WAIT).until(() -> replies.size() == expected);
            }
            assertThat(runs).as("the large reply was not kept: its repeat ran again").hasValue(3);
        }
    }

    private static Object call(RpcPair pair, String object, String method, Object... args) {
        return pair.client.newCall("bob", object, method).args(args).timeout(WAIT).call();
    }
}
