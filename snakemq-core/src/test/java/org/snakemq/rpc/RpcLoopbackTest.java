package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Message;

/** RPC between two Java peers over real loopback links. */
class RpcLoopbackTest {

    public enum Level { LOW, HIGH }

    public record Item(String name, int count, Level level, byte[] data) {
    }

    public record Basket(String owner, List<Item> items, Map<String, List<Integer>> tags, Optional<String> note) {
    }

    public interface Shop {
        int add(int a, int b);

        String greet(String name, int times);

        Basket fill(Basket basket, Item extra);

        List<Item> items(int n);

        Map<String, List<Integer>> tags();

        CompletableFuture<Integer> addLater(int a, int b);

        void fail(String message);

        @RpcSignal(ttlMillis = 30_000)
        void notice(String text);

        String slow(long millis);

        @RpcName("snake_name")
        String snakeName();
    }

    public static final class ShopImpl implements Shop {
        final AtomicInteger slowRuns = new AtomicInteger();
        final List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CountDownLatch slowStarted = new CountDownLatch(1);

        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public String greet(String name, int times) {
            return ("hello " + name + " ").repeat(times).trim();
        }

        @Override
        public Basket fill(Basket basket, Item extra) {
            List<Item> items = new java.util.ArrayList<>(basket.items());
            items.add(extra);
            return new Basket(basket.owner(), items, basket.tags(), Optional.of("filled"));
        }

        @Override
        public List<Item> items(int n) {
            return java.util.stream.IntStream.range(0, n)
                    .mapToObj(i -> new Item("item" + i, i, Level.HIGH, new byte[] {(byte) i})).toList();
        }

        @Override
        public Map<String, List<Integer>> tags() {
            return Map.of("primes", List.of(2, 3, 5));
        }

        @Override
        public CompletableFuture<Integer> addLater(int a, int b) {
            return CompletableFuture.supplyAsync(() -> a + b);
        }

        @Override
        public void fail(String message) {
            throw new IllegalStateException(message);
        }

        @Override
        public void notice(String text) {
            notices.add(text);
        }

        @Override
        public String slow(long millis) {
            slowRuns.incrementAndGet();
            slowStarted.countDown();
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "slept " + millis;
        }

        @Override
        public String snakeName() {
            return "snake";
        }
    }

    @Test
    void typedProxyCallsAndConvertsRecordsAndGenerics() {
        try (RpcPair pair = RpcPair.serving("shop", new ShopImpl())) {
            Shop shop = pair.client.proxy("bob", "shop", Shop.class, Duration.ofSeconds(10));

            assertThat(shop.add(2, 40)).isEqualTo(42);
            assertThat(shop.greet("ann", 2)).isEqualTo("hello ann hello ann");
            List<Item> items = shop.items(3);
            assertThat(items).hasSize(3).allSatisfy(i -> assertThat(i).isInstanceOf(Item.class));
            assertThat(items.get(2).data()).containsExactly(2);
            assertThat(shop.tags()).isEqualTo(Map.of("primes", List.of(2, 3, 5)));
            Basket filled = shop.fill(new Basket("ann", List.of(new Item("a", 1, Level.LOW, new byte[0])),
                    Map.of("x", List.of(1)), Optional.empty()), new Item("b", 2, Level.HIGH, new byte[] {9}));
            assertThat(filled.owner()).isEqualTo("ann");
            assertThat(filled.items()).extracting(Item::name).containsExactly("a", "b");
            assertThat(filled.items().get(1).level()).isEqualTo(Level.HIGH);
            assertThat(filled.tags()).isEqualTo(Map.of("x", List.of(1)));
            assertThat(filled.note()).contains("filled");
            assertThat(shop.snakeName()).isEqualTo("snake");
            assertThat(shop.toString()).contains("bob/shop");
        }
    }

    @Test
    void dynamicAndAsyncCalls() throws Exception {
        try (RpcPair pair = RpcPair.serving("shop", new ShopImpl())) {
            assertThat(pair.client.call("bob", "shop", "add", 1, 2)).isEqualTo(3);
            assertThat(pair.client.call("bob", "shop", "snake_name")).isEqualTo("snake");
            assertThat(pair.client.callAsync("bob", "shop", "add", 5, 6).get(10, TimeUnit.SECONDS)).isEqualTo(11);
            Shop shop = pair.client.proxy("bob", "shop", Shop.class, Duration.ofSeconds(10));
            assertThat(shop.addLater(20, 22).get(10, TimeUnit.SECONDS)).isEqualTo(42);
            Object items = pair.client.call("bob", "shop", "items", 1);
            assertThat(items).isInstanceOf(List.class);
            assertThat(((Map<?, ?>) ((List<?>) items).get(0)).get("name")).isEqualTo("item0");
        }
    }

    @Test
    void keywordArgumentsBindToParameterNames() {
        try (RpcPair pair = RpcPair.serving("shop", new ShopImpl())) {
            String text = pair.client.newCall("bob", "shop", "greet").args("bo").kwarg("times", 3)
                    .timeout(Duration.ofSeconds(10)).call(String.class);
            assertThat(text).isEqualTo("hello bo hello bo hello bo");
            assertThat(pair.client.newCall("bob", "shop", "greet").kwarg("times", 1).kwarg("name", "x").call())
                    .isEqualTo("hello x");
        }
    }

    @Test
    void remoteExceptionCarriesTheRemoteTraceback() {
        try (RpcPair pair = RpcPair.serving("shop", new ShopImpl())) {
            Shop shop = pair.client.proxy("bob", "shop", Shop.class, Duration.ofSeconds(10));
            assertThatThrownBy(() -> shop.fail("boom"))
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
                        assertThat(e.remoteMessage()).isEqualTo("boom");
                        assertThat(e.remoteTraceback()).contains("ShopImpl.fail");
                        assertThat(e.getCause()).hasMessageContaining("ShopImpl.fail");
                        // raised locally, in the calling thread
                        assertThat(e.getStackTrace()).anyMatch(f -> f.getMethodName().contains("remoteExceptionCarries"));
                    });
        }
    }

    @Test
    void withoutExceptionTransferTheCallerLearnsOnlyThatItFailed() {
        try (RpcPair pair = RpcPair.serving("shop", new ShopImpl())) {
            pair.server.setTransferExceptions(false);
            Shop shop = pair.client.proxy("bob", "shop", Shop.class, Duration.ofSeconds(10));
            assertThatThrownBy(() -> shop.fail("secret detail"))
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.remoteClassName()).isEqualTo("builtins.RuntimeError");
                        assertThat(e.getMessage()).doesNotContain("secret detail").doesNotContain("IllegalState");
                        assertThat(e.remoteTraceback()).isEmpty();
                    });
        }
    }

    @Test
    void signalsKeepTheirTtlWhilePeerIsAway() {
        try (RpcPair pair = new RpcPair()) {
            ShopImpl impl = new ShopImpl();
            pair.server.register("shop", impl);
            Shop shop = pair.client.proxy("bob", "shop", Shop.class, Duration.ofSeconds(10));
            // not connected yet: the TTL-30s signal waits in the queue, the TTL-0 one is dropped
            shop.notice("typed with ttl");
            pair.client.signal("bob", "shop", "notice", Duration.ofSeconds(30), "dynamic with ttl");
            pair.client.signal("bob", "shop", "notice", Duration.ZERO, "ttl zero");
            pair.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> impl.notices.containsAll(List.of("typed with ttl", "dynamic with ttl")));
            // a call after the signals: when it returns, anything still queued before it has been delivered
            assertThat(shop.add(1, 1)).isEqualTo(2);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                    .until(() -> !impl.notices.contains("ttl zero"));
            assertThat(impl.notices).containsExactlyInAnyOrder("typed with ttl", "dynamic with ttl");
        }
    }

    @Test
    void badRequestsAreAnsweredOrDroppedAndTheServerKeepsServing() {
        try (RpcPair pair = RpcPair.serving("shop", new ShopImpl())) {
            RpcCall unknownObject = pair.client.newCall("bob", "nobody", "add").args(1, 2).timeout(Duration.ofSeconds(10));
            assertThatThrownBy(unknownObject::call).isInstanceOfSatisfying(RemoteException.class,
                    e -> assertThat(e.remoteClassName()).isEqualTo("snakemq.rpc.NoInstanceError"));
            assertThatThrownBy(() -> pair.client.newCall("bob", "shop", "nope").timeout(Duration.ofSeconds(10)).call())
                    .isInstanceOfSatisfying(RemoteException.class,
                            e -> assertThat(e.remoteClassName()).isEqualTo("snakemq.rpc.NoMethodError"));
            assertThatThrownBy(() -> pair.client.newCall("bob", "shop", "add").args(1).timeout(Duration.ofSeconds(10)).call())
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.remoteClassName()).isEqualTo("builtins.TypeError");
                        assertThat(e.remoteMessage()).contains("missing argument 'b'");
                    });
            assertThatThrownBy(() -> pair.client.newCall("bob", "shop", "add").args(1, 2, 3).timeout(Duration.ofSeconds(10)).call())
                    .isInstanceOfSatisfying(RemoteException.class,
                            e -> assertThat(e.remoteMessage()).contains("3 were given"));
            assertThatThrownBy(() -> pair.client.newCall("bob", "shop", "add").args("x", 2).timeout(Duration.ofSeconds(10)).call())
                    .isInstanceOfSatisfying(RemoteException.class,
                            e -> assertThat(e.remoteClassName()).isEqualTo("builtins.TypeError"));

            // malformed pickles, and a reply to nobody's request
            pair.alice.messaging.send("bob", Message.of("rpcreq\u0080\u0002}(X\u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1)));
            pair.alice.messaging.send("bob", Message.of("rpcreqnot a pickle at all"));
            pair.bob.messaging.send("alice", Message.of("rpcrepgarbage"));
            pair.bob.messaging.send("alice", Message.of(RpcCodec.encodeReturn(new byte[16], "stray")));

            assertThat(pair.client.newCall("bob", "shop", "add").args(2, 2).timeout(Duration.ofSeconds(10)).call()).isEqualTo(4);
            assertThat(pair.bob.errors).isEmpty();
            assertThat(pair.alice.errors).isEmpty();
        }
    }

    @Test
    void callToAnAbsentPeerTimesOutAsNotConnected() {
        try (RpcPair pair = new RpcPair().start()) {
            Duration timeout = Duration.ofMillis(1000);
            long start = System.nanoTime();
            assertThatThrownBy(() -> pair.client.newCall("nobody", "shop", "add").args(1, 2).timeout(timeout).call())
                    .isInstanceOf(NotConnectedException.class);
            assertWithinTimeout(start, timeout);
        }
    }

    @Test
    void callWithoutTimeoutEndsWhenTheClientCloses() throws Exception {
        try (RpcPair pair = new RpcPair().start()) {
            CompletableFuture<Object> waiting = pair.client.callAsync("nobody", "shop", "add", 1, 2);
            pair.client.close();
            assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RpcCallException.class);
            assertThatThrownBy(() -> pair.client.call("bob", "shop", "add", 1, 2)).isInstanceOf(RpcCallException.class);
        }
    }

    @Test
    void brokenConnectionDuringACallResendsTheSameRequestWhichRunsOnce() throws Exception {
        ShopImpl impl = new ShopImpl();
        try (RpcPair pair = RpcPair.serving("shop", impl)) {
            AtomicInteger requestsSeen = new AtomicInteger();
            new org.snakemq.messaging.ReceiveHook(pair.bob.messaging).register("rpcreq", (c, from, m) -> requestsSeen.incrementAndGet());
            Duration timeout = Duration.ofSeconds(8);
            long start = System.nanoTime();
            CompletableFuture<Object> call = pair.client.newCall("bob", "shop", "slow").args(800L).timeout(timeout)
                    .callAsync(String.class);
            assertThat(impl.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            int connectionsBefore = pair.bobsConnections.size();
            pair.cutConnection();
            await().atMost(Duration.ofSeconds(5)).until(() -> pair.bobsConnections.size() > connectionsBefore);

            assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("slept 800");
            assertWithinTimeout(start, timeout);
            assertThat(requestsSeen).as("the request was sent again after the reconnect").hasValueGreaterThanOrEqualTo(2);
            assertThat(impl.slowRuns).hasValue(1);
        }
    }

    @Test
    void brokenConnectionWithShortTimeoutGivesPartialCallAndNoSecondRun() throws Exception {
        ShopImpl impl = new ShopImpl();
        try (RpcPair pair = RpcPair.serving("shop", impl)) {
            Duration timeout = Duration.ofMillis(2000);
            long start = System.nanoTime();
            CompletableFuture<Object> call = pair.client.newCall("bob", "shop", "slow").args(4000L).timeout(timeout)
                    .callAsync();
            assertThat(impl.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            pair.cutConnection();
            assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(PartialCallException.class);
            assertWithinTimeout(start, timeout);
            // the server finishes the one run; a later call with the same method runs separately
            pair.awaitConnected();
            assertThat(pair.client.newCall("bob", "shop", "slow").args(1L).timeout(Duration.ofSeconds(10)).call())
                    .isEqualTo("slept 1");
            assertThat(impl.slowRuns).hasValue(2);
        }
    }

    @Test
    void repeatedRequestIdIsAnsweredFromTheReplyCache() {
        try (RpcPair pair = new RpcPair().start()) {
            AtomicInteger runs = new AtomicInteger();
            pair.server.register("counter", new Object() {
                public int next() {
                    return runs.incrementAndGet();
                }
            });
            byte[] reqId = PythonInteropTest.uuidBytes(UUID.randomUUID());
            byte[] request = RpcCodec.encodeRequest(new RpcRequest(false, "counter", "next", List.of(), Map.of(), reqId));
            List<Object> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
            new org.snakemq.messaging.ReceiveHook(pair.alice.messaging).register("rpcrep",
                    (c, from, m) -> replies.add(RpcCodec.decodeReply(m.data()).value()));
            pair.alice.messaging.send("bob", Message.of(request));
            await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 1);
            for (int i = 0; i < 2; i++) {
                pair.alice.messaging.send("bob", Message.of(request));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == 3);
            assertThat(replies).containsExactly(1, 1, 1);
            assertThat(runs).hasValue(1);
        }
    }

    public static final class PythonFacing {
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @RpcName("get_fo")
        public String getFo(int one, String two, byte[] three, Object four, boolean flag, double ratio) {
            seen.add(one + "," + two + "," + java.util.Arrays.toString(three) + "," + four + "," + flag + "," + ratio);
            return "fo value";
        }
    }

    @Test
    void requestsPickledByPythonAreServedWithTheirKeywordArguments() throws Exception {
        PythonFacing target = new PythonFacing();
        try (RpcPair pair = RpcPair.serving("myinstance", target)) {
            List<RpcReply> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
            new org.snakemq.messaging.ReceiveHook(pair.alice.messaging).register("rpcrep",
                    (c, from, m) -> replies.add(RpcCodec.decodeReply(m.data())));
            for (int protocol = 2; protocol <= 5; protocol++) {
                byte[] request;
                try (var in = getClass().getResourceAsStream("/rpc-vectors/request-p" + protocol + ".bin")) {
                    request = in.readAllBytes();
                }
                pair.alice.messaging.send("bob", Message.of(request));
                int expected = protocol - 1;
                await().atMost(Duration.ofSeconds(10)).until(() -> replies.size() == expected);
            }
            // the four vectors share one req_id, so only the first ran; the others got the cached reply
            assertThat(target.seen).containsExactly("1,two,[0, 1, -2, -1],null,true,0.5");
            assertThat(replies).allSatisfy(r -> {
                assertThat(r.ok()).isTrue();
                assertThat(r.value()).isEqualTo("fo value");
                assertThat(r.reqId()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            });
        }
    }

    public static final class Worker {
        final Map<Integer, AtomicInteger> runs = new java.util.concurrent.ConcurrentHashMap<>();

        public int work(int id, long millis) throws InterruptedException {
            runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(millis);
            return id * 2;
        }
    }

    @Test
    void concurrentCallsSurviveRepeatedCutsAndEachRunsOnce() throws Exception {
        Worker worker = new Worker();
        try (RpcPair pair = RpcPair.serving("worker", worker)) {
            Duration timeout = Duration.ofSeconds(8);
            int calls = 24;
            pair.server.setMaxCallsPerPeer(calls); // more at once than the default allows one peer
            List<CompletableFuture<Object>> futures = new java.util.ArrayList<>();
            List<Long> starts = new java.util.ArrayList<>();
            for (int i = 0; i < calls; i++) {
                starts.add(System.nanoTime());
                futures.add(pair.client.newCall("bob", "worker", "work").args(i, 300L + 20L * i).timeout(timeout)
                        .callAsync(int.class));
            }
            for (int cut = 0; cut < 3; cut++) {
                int before = pair.bobsConnections.size();
                await().atMost(Duration.ofSeconds(5)).until(() -> pair.bob.messaging.isConnected("alice"));
                pair.cutConnection();
                await().atMost(Duration.ofSeconds(5)).until(() -> pair.bobsConnections.size() > before);
            }
            for (int i = 0; i < calls; i++) {
                assertThat(futures.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 2);
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - starts.get(i));
                assertThat(elapsedMillis).isLessThanOrEqualTo(timeout.toMillis() * 11 / 10);
            }
            assertThat(worker.runs).hasSize(calls);
            assertThat(worker.runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        }
    }

    @Test
    void proxyRefusesSignalsWithResults() {
        interface Bad {
            @RpcSignal
            int sig();
        }
        try (RpcPair pair = new RpcPair()) {
            assertThatThrownBy(() -> pair.client.proxy("bob", "x", Bad.class))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must return void");
        }
    }

    private static void assertWithinTimeout(long startNanos, Duration timeout) {
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertThat(elapsedMillis).as("elapsed ms against timeout %s + 10%%", timeout)
                .isLessThanOrEqualTo(timeout.toMillis() * 11 / 10);
    }
}
