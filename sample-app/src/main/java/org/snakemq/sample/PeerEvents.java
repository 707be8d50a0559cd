package org.snakemq.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import org.snakemq.message.Message;
import org.snakemq.spring.SnakeMessageDroppedEvent;
import org.snakemq.spring.SnakeMessageReceivedEvent;
import org.snakemq.spring.SnakePeerConnectedEvent;
import org.snakemq.spring.SnakePeerDisconnectedEvent;

/**
 * Logs what this peer receives and who comes and goes, and notes it in the {@link Journal}. The
 * listeners run on the link's loop thread, so they only log and record.
 */
@Component
public class PeerEvents {

    private final Journal journal;
    private final String identity;
    private final Logger log;

    public PeerEvents(Journal journal, @Value("${snakemq.identity}") String identity) {
        this.journal = journal;
        this.identity = identity;
        this.log = LoggerFactory.getLogger("sample." + identity);
    }

    @EventListener
    public void received(SnakeMessageReceivedEvent event) {
        Message message = event.message();
        log.info("received from {}: \"{}\"{}", event.identity(), message.text(),
                message.isPersistent() ? " (persistent)" : "");
        journal.add(identity, Journal.Kind.RECEIVED, event.identity(), message.text());
    }

    @EventListener
    public void connected(SnakePeerConnectedEvent event) {
        log.info("connected to {} ({})", event.identity(), event.connection().remoteAddress());
        journal.add(identity, Journal.Kind.CONNECTED, event.identity(), "");
    }

    @EventListener
    public void disconnected(SnakePeerDisconnectedEvent event) {
        log.info("{} disconnected", event.identity());
        journal.add(identity, Journal.Kind.DISCONNECTED, event.identity(), "");
    }

    @EventListener
    public void dropped(SnakeMessageDroppedEvent event) {
        log.warn("message {} for {} expired undelivered", event.uuid(), event.identity());
        journal.add(identity, Journal.Kind.DROPPED, event.identity(), event.uuid().toString());
    }
}
