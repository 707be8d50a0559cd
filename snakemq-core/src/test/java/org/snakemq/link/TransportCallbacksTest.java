package org.snakemq.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.snakemq.callback.Callbacks;
import org.snakemq.throttle.Throttle;

class TransportCallbacksTest {

    private final TransportCallbacks lists = new TransportCallbacks(LoggerFactory.getLogger("test"));

    @Test
    void eachWitherReplacesItsListAndSharesTheOtherFour() {
        Callbacks<ReceiveListener> receive = new Callbacks<>("on_recv", LoggerFactory.getLogger("test"));
        Callbacks<Runnable> loopPass = new Callbacks<>("on_loop_pass", LoggerFactory.getLogger("test"));

        assertThat(lists.withOnReceive(receive)).isEqualTo(new TransportCallbacks(
                lists.onConnect(), lists.onDisconnect(), receive, lists.onReadyToSend(), lists.onLoopPass()));
        assertThat(lists.withOnLoopPass(loopPass)).isEqualTo(new TransportCallbacks(
                lists.onConnect(), lists.onDisconnect(), lists.onReceive(), lists.onReadyToSend(), loopPass));
    }

    @Test
    void transportAccessorsServeTheListsOfItsHolder() {
        try (FakeTransport transport = new FakeTransport()) {
            assertThat(new TransportCallbacks(transport.onConnect(), transport.onDisconnect(), transport.onReceive(),
                    transport.onReadyToSend(), transport.onLoopPass()))
                    .isEqualTo(transport.callbacks());
        }
    }

    @Test
    void throttleOwnsTheConnectionEventsAndSharesTheLoopPasses() {
        try (FakeTransport transport = new FakeTransport()) {
            Throttle throttle = new Throttle(transport, 10_000);

            assertThat(throttle.onLoopPass()).isSameAs(transport.onLoopPass());
            assertThat(List.of(throttle.onConnect(), throttle.onDisconnect(), throttle.onReceive(), throttle.onReadyToSend()))
                    .doesNotContainAnyElementsOf(List.of(transport.onConnect(), transport.onDisconnect(),
                            transport.onReceive(), transport.onReadyToSend()));
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
