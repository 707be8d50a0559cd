package com.example.epoll;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.snakemq.autoconfigure.SnakeMqLifecycle;
import org.snakemq.link.Link;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** With netty-transport-native-epoll on the class path the peer's link runs on epoll, with no setting. */
@SpringBootTest(properties = {
        "snakemq.identity=bob",
        "snakemq.listeners[0].host=127.0.0.1",
        "snakemq.listeners[0].port=0"})
class EpollTransportTests {

    @SpringBootApplication
    static class App {
    }

    @Autowired
    private Link link;

    @Autowired
    private SnakeMqLifecycle lifecycle;

    @Test
    @EnabledOnOs(OS.LINUX)
    @EnabledIfSystemProperty(named = "os.arch", matches = "amd64|x86_64")
    void theLinkRunsOnEpollWhenTheNativeJarIsPresent() {
        assertThat(link.ioTransport()).isEqualTo("epoll");
        assertThat(lifecycle.boundAddresses()).singleElement()
                .satisfies(address -> assertThat(address.getPort()).isNotEqualTo(0));
    }
}
