package org.snakemq.messaging;

import org.snakemq.link.Connection;

/**
 * Decides whether a connection may use the identity it announced, for example by checking it against
 * the peer's TLS certificate. A connection whose identity is verified also takes over an older
 * connection that still holds the same identity (a stale one, after the peer restarted), instead of
 * being refused (with {@link MessagingOptions#requireVerifiedIdentity()}, only when both show the
 * same certificate key). Called on the link's loop thread.
 */
@FunctionalInterface
public interface IdentityVerifier {

    /** Returns null to accept, or the reason for refusing the connection. */
    String refusal(Connection connection, String identity);
}
