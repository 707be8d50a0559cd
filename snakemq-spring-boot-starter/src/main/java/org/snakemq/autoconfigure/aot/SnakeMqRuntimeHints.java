package org.snakemq.autoconfigure.aot;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The starter's own runtime hints: the link looks up Netty's native epoll transport by name to
 * decide whether to use it. Registered in {@code META-INF/spring/aot.factories}.
 */
final class SnakeMqRuntimeHints implements RuntimeHintsRegistrar {

    static final String EPOLL = "io.netty.channel.epoll.Epoll";

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.reflection().registerTypeIfPresent(classLoader, EPOLL, type -> { });
    }
}
