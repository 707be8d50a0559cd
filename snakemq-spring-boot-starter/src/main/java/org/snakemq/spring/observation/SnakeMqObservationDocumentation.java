package org.snakemq.spring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of snakeMQ: their names, and the keys they carry. Low-cardinality keys become
 * meter tags and span tags; high-cardinality keys only span tags. Each observation's name, contextual
 * name (the span name) and keys come from its convention: the {@code Default*ObservationConvention}
 * named here, or an {@code ObservationConvention} bean of the matching interface.
 */
public enum SnakeMqObservationDocumentation implements ObservationDocumentation {

    /**
     * A message handed to the peer for sending ({@code snakemq.send}, span kind PRODUCER, span name
     * {@code "<peer> send"}). Its trace context goes into the message's headers.
     */
    SEND(DefaultSnakeMqSendObservationConvention.class,
            new KeyName[] {LowCardinalityKeys.PEER, LowCardinalityKeys.PERSISTENT, LowCardinalityKeys.OUTCOME},
            new KeyName[] {HighCardinalityKeys.PEER_IDENTITY, HighCardinalityKeys.MESSAGE_ID}),

    /**
     * One attempt of the {@code @SnakeListener} methods at a received message ({@code snakemq.listener},
     * span kind CONSUMER, span name {@code "<sender> process"}), continuing the sender's trace from the
     * message's headers. A retried message gets one observation per attempt.
     */
    LISTENER(DefaultSnakeMqListenerObservationConvention.class,
            new KeyName[] {LowCardinalityKeys.PEER, LowCardinalityKeys.OUTCOME},
            new KeyName[] {HighCardinalityKeys.PEER_IDENTITY, HighCardinalityKeys.MESSAGE_ID,
                    HighCardinalityKeys.ATTEMPT}),

    /**
     * An RPC call or signal sent to a server ({@code snakemq.rpc.client.calls}, span kind CLIENT, span
     * name {@code "<object>.<method>"}), from the call until its reply (or, for a signal, until it is
     * handed over). Its trace context goes into the request's headers, which only snakemq-java
     * servers see.
     */
    RPC_CLIENT(DefaultSnakeMqRpcClientObservationConvention.class,
            new KeyName[] {LowCardinalityKeys.PEER, LowCardinalityKeys.OBJECT, LowCardinalityKeys.METHOD,
                    LowCardinalityKeys.OUTCOME},
            new KeyName[] {HighCardinalityKeys.PEER_IDENTITY}),

    /**
     * A served method running for a caller ({@code snakemq.rpc.server.calls}, span kind SERVER, span
     * name {@code "<object>.<method>"}), until it returns or its {@code CompletionStage} completes;
     * continues the caller's trace when the request carries one.
     */
    RPC_SERVER(DefaultSnakeMqRpcServerObservationConvention.class,
            new KeyName[] {LowCardinalityKeys.PEER, LowCardinalityKeys.OBJECT, LowCardinalityKeys.METHOD,
                    LowCardinalityKeys.OUTCOME},
            new KeyName[] {HighCardinalityKeys.PEER_IDENTITY});

    private final Class<? extends ObservationConvention<? extends Observation.Context>> defaultConvention;
    private final KeyName[] lowCardinalityKeyNames;
    private final KeyName[] highCardinalityKeyNames;

    SnakeMqObservationDocumentation(Class<? extends ObservationConvention<? extends Observation.Context>> defaultConvention,
                                    KeyName[] lowCardinalityKeyNames, KeyName[] highCardinalityKeyNames) {
        this.defaultConvention = defaultConvention;
        this.lowCardinalityKeyNames = lowCardinalityKeyNames;
        this.highCardinalityKeyNames = highCardinalityKeyNames;
    }

    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
        return defaultConvention;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
        return lowCardinalityKeyNames.clone();
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
        return highCardinalityKeyNames.clone();
    }

    /** Keys with few values, tags of both meters and spans. */
    public enum LowCardinalityKeys implements KeyName {

        /**
         * The other peer's identity (destination, sender, server or caller); {@code other} for peers
         * beyond {@code snakemq.metrics.max-peer-tags}.
         */
        PEER {
            @Override
            public String asString() {
                return "peer";
            }
        },

        /** Whether the message is persistent: {@code true} or {@code false}. */
        PERSISTENT {
            @Override
            public String asString() {
                return "persistent";
            }
        },

        /** The remote object's name. */
        OBJECT {
            @Override
            public String asString() {
                return "object";
            }
        },

        /** The remote method's name. */
        METHOD {
            @Override
            public String asString() {
                return "method";
            }
        },

        /** {@code success} or {@code error}. */
        OUTCOME {
            @Override
            public String asString() {
                return "outcome";
            }
        }
    }

    /** Keys with many values, tags of spans only. */
    public enum HighCardinalityKeys implements KeyName {

        /** The other peer's identity, also beyond the tag limit. */
        PEER_IDENTITY {
            @Override
            public String asString() {
                return "snakemq.peer.identity";
            }
        },

        /** The message's id (a UUID). */
        MESSAGE_ID {
            @Override
            public String asString() {
                return "snakemq.message.id";
            }
        },

        /** 1 for the first attempt at a received message, 2 for the first retry, ... */
        ATTEMPT {
            @Override
            public String asString() {
                return "snakemq.delivery.attempt";
            }
        }
    }
}
