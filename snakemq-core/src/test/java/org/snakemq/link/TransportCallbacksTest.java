package org.snakemq.link;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.throttle.Throttle;

class TransportCallbacksTest {

    private final TransportCallbacks lists = new TransportCallbacks(LoggerFactory.getLogger("test"));

    @Test
    void withOnReceiveReplacesOnlyTheReceiveList() {
        Callbacks<ReceiveListener> own = new Callbacks<>("on_recv", LoggerFactory.getLogger("test"));

        TransportCallbacks derived = lists.withOnReceive(own);

        assertThat(derived.onReceive()).isSameAs(own);
        assertThat(derived.onConnect()).isSameAs(lists.onConnect());
        assertThat(derived.onDisconnect()).isSameAs(lists.onDisconnect());
        assertThat(derived.onReadyToSend()).isSameAs(lists.onReadyToSend());
        assertThat(derived.onLoopPass()).isSameAs(lists.onLoopPass());
    }

    @Test
    void withOnLoopPassReplacesOnlyTheLoopPassList() {
        Callbacks<Runnable> own = new Callbacks<>("on_loop_pass", LoggerFactory.getLogger("test"));

        TransportCallbacks derived = lists.withOnLoopPass(own);

        assertThat(derived.onLoopPass()).isSameAs(own);
        assertThat(derived.onConnect()).isSameAs(lists.onConnect());
        assertThat(derived.onDisconnect()).isSameAs(lists.onDisconnect());
        assertThat(derived.onReceive()).isSameAs(lists.onReceive());
        assertThat(derived.onReadyToSend()).isSameAs(lists.onReadyToSend());
    }

    @Test
    void transportAccessorsServeTheListsOfItsHolder() {
        try (FakeTransport transport = new FakeTransport()) {
            TransportCallbacks held = transport.callbacks();

            assertThat(transport.onConnect()).isSameAs(held.onConnect());
            assertThat(transport.onDisconnect()).isSameAs(held.onDisconnect());
            assertThat(transport.onReceive()).isSameAs(held.onReceive());
            assertThat(transport.onReadyToSend()).isSameAs(held.onReadyToSend());
            assertThat(transport.onLoopPass()).isSameAs(held.onLoopPass());
        }
    }

    @Test
    void throttleOwnsTheConnectionEventsAndSharesTheLoopPasses() {
        try (FakeTransport transport = new FakeTransport()) {
            Throttle throttle = new Throttle(transport, 10_000);

            assertThat(throttle.onLoopPass()).isSameAs(transport.onLoopPass());
            assertThat(throttle.onConnect()).isNotSameAs(transport.onConnect());
            assertThat(throttle.onDisconnect()).isNotSameAs(transport.onDisconnect());
            assertThat(throttle.onReceive()).isNotSameAs(transport.onReceive());
            assertThat(throttle.onReadyToSend()).isNotSameAs(transport.onReadyToSend());
        }
    }

    @Test
    void forwardingTransportServesTheListsOfTheTransportBelow() {
        try (FakeTransport transport = new FakeTransport()) {
            ForwardingTransport forwarding = new ForwardingTransport(transport) { };

            assertThat(forwarding.callbacks()).isSameAs(transport.callbacks());
            assertThat(forwarding.onReceive()).isSameAs(transport.onReceive());
        }
    }
}
