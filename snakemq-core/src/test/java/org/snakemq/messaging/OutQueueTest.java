package org.snakemq.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.snakemq.message.Headers;
import org.snakemq.message.Message;

/** One destination's queue: order, TTLs and requeueing with messages packed while the peer is away. */
class OutQueueTest {

    private static Envelope transientOne(String text) {
        return new Envelope("bob", new Message(UUID.randomUUID(), text.getBytes(StandardCharsets.UTF_8), null,
                0x70), 0);
    }

    private static Envelope withTtl(String text, Duration ttl) {
        return new Envelope("bob", Message.of(text).withTtl(ttl), 0);
    }

    private static Envelope stored(String text, long key) {
        return new Envelope("bob", Message.of(text).persistent(), key);
    }

    private static String text(Envelope envelope) {
        return new String(envelope.data, StandardCharsets.UTF_8);
    }

    private static List<String> drain(OutQueue queue) {
        List<String> texts = new ArrayList<>();
        for (Envelope envelope; (envelope = queue.poll()) != null; ) {
            texts.add(text(envelope));
        }
        return texts;
    }

    @Test
    void packedMessagesComeBackWithTheirIdFlagsDataAndDestinationInOrder() {
        OutQueue queue = new OutQueue("bob", 0);
        List<Envelope> sent = List.of(transientOne("a"), stored("b", 7), transientOne(""), withTtl("c", Duration.ofHours(1)),
                transientOne("d"));
        for (Envelope envelope : sent) {
            assertThat(queue.push(envelope, 0)).isTrue();
        }
        assertThat(queue.size()).isEqualTo(5);
        for (Envelope before : sent) {
            Envelope after = queue.poll();
            assertThat(after.destination).isEqualTo("bob");
            assertThat(after.uuid()).isEqualTo(before.uuid());
            assertThat(after.flags).isEqualTo(before.flags);
            assertThat(after.data).isEqualTo(before.data);
            assertThat(after.storageKey).isEqualTo(before.storageKey);
            assertThat(after.ttlMillis).isEqualTo(before.ttlMillis);
            assertThat(after.length()).isEqualTo(before.length());
        }
        assertThat(queue.poll()).isNull();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void onlyTransientMessagesWithoutATtlOrHeadersArePacked() {
        assertThat(transientOne("x").packable()).isTrue();
        assertThat(stored("x", 3).packable()).as("the storage key stays with the object").isFalse();
        assertThat(withTtl("x", Duration.ofSeconds(5)).packable()).as("the TTL counts down on the object")
                .isFalse();
        assertThat(withTtl("x", Duration.ZERO).packable()).isFalse();
        assertThat(Envelope.of("bob", Message.of("x").withHeaders(Headers.of("k", "v")), 0).packable())
                .as("the headers stay with the object").isFalse();
    }

    @Test
    void aMessageWithHeadersWaitsWithThemWhileThePeerIsAway() {
        OutQueue queue = new OutQueue("bob", 0);
        Headers headers = Headers.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        queue.push(Envelope.of("bob", Message.of("traced").withHeaders(headers), 0), 0);
        queue.push(transientOne("plain"), 0);
        Envelope first = queue.poll();
        assertThat(first).isInstanceOf(HeaderedEnvelope.class);
        assertThat(((HeaderedEnvelope) first).headers).isEqualTo(headers);
        assertThat(text(first)).isEqualTo("traced");
        assertThat(queue.poll()).isNotInstanceOf(HeaderedEnvelope.class);
    }

    @Test
    void aPackedArrayIsTheIdFlagsAndDataOnly() {
        Envelope envelope = transientOne("0123456789");
        assertThat(envelope.packed()).hasSize(Envelope.PACKED_HEADER + 10);
    }

    @Test
    void packingCarriesEveryFieldOfAnEnvelope() throws IllegalAccessException {
        // a new Envelope field must be carried by packed()/unpacked(), or make the envelope not packable
        // (headers live in HeaderedEnvelope, which is never packed)
        Set<String> carried = Set.of("destination", "uuidHigh", "uuidLow", "data", "flags", "ttlMillis", "storageKey");
        Set<String> givenBySend = Set.of("packetId", "sequence");
        Envelope before = transientOne("fields");
        Envelope after = Envelope.unpacked("bob", before.packed());
        for (Field field : Envelope.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            assertThat(carried.contains(field.getName()) || givenBySend.contains(field.getName()))
                    .as("Envelope.%s is known to packing", field.getName()).isTrue();
            if (carried.contains(field.getName())) {
                field.setAccessible(true);
                assertThat(field.get(after)).as(field.getName()).isEqualTo(field.get(before));
            }
        }
    }

    @Test
    void requeuedAndPushedBackMessagesGoInFrontOfPackedOnes() {
        OutQueue queue = new OutQueue("bob", 0);
        queue.connect(0, e -> { });
        queue.push(transientOne("1"), 0);
        queue.push(transientOne("2"), 0);
        queue.push(transientOne("3"), 0);
        queue.push(transientOne("4"), 0);
        Envelope first = queue.poll();
        Envelope second = queue.poll();
        queue.inFlight = 2;
        queue.disconnect(10); // 3 and 4 are packed in place
        queue.requeueFront(List.of(first, second));
        queue.push(transientOne("5"), 20);
        assertThat(queue.size()).isEqualTo(5);
        queue.connect(30, e -> { });
        Envelope head = queue.poll();
        assertThat(text(head)).isEqualTo("1");
        queue.pushFront(head);
        assertThat(drain(queue)).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void ttlsAmongPackedMessagesCountDownAndExpireAsBefore() {
        OutQueue queue = new OutQueue("bob", 1_000);
        List<Envelope> dropped = new ArrayList<>();
        queue.push(transientOne("keep-1"), 1_000);
        queue.push(withTtl("short", Duration.ofMillis(500)), 1_000);
        queue.push(transientOne("keep-2"), 1_200);
        queue.push(withTtl("long", Duration.ofMillis(5_000)), 1_200);
        assertThat(queue.push(withTtl("zero", Duration.ZERO), 1_200)).as("TTL 0 while away").isFalse();
        queue.expire(1_400, dropped::add);
        assertThat(dropped).isEmpty();
        queue.expire(1_600, dropped::add);
        assertThat(dropped).extracting(OutQueueTest::text).containsExactly("short");
        List<Envelope> changed = queue.connect(2_200, dropped::add);
        assertThat(changed).as("no stored message").isEmpty();
        Envelope keep1 = queue.poll();
        Envelope long1 = null;
        List<String> rest = new ArrayList<>();
        rest.add(text(keep1));
        for (Envelope envelope; (envelope = queue.poll()) != null; ) {
            rest.add(text(envelope));
            if (text(envelope).equals("long")) {
                long1 = envelope;
            }
        }
        assertThat(rest).containsExactly("keep-1", "keep-2", "long");
        // pushed 200 ms after the disconnection and connected 1,200 ms after it: 1,000 ms spent waiting
        assertThat(long1.ttl()).isEqualTo(Duration.ofMillis(4_000));
        assertThat(keep1.ttl()).isNull();
    }

    @Test
    void aConnectedQueueKeepsEnvelopesAsTheyAre() {
        OutQueue queue = new OutQueue("bob", 0);
        queue.connect(0, e -> { });
        Envelope envelope = transientOne("live");
        queue.push(envelope, 0);
        assertThat(queue.poll()).isSameAs(envelope);
    }
}
