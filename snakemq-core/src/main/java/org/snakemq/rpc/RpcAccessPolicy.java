package org.snakemq.rpc;

import java.util.Objects;

import org.snakemq.link.Connection;

/**
 * Decides whether a peer may call a method of a served object. {@link RpcServer} asks it for every
 * request, calls and signals alike, before the caller is told whether the object and the method
 * exist, so a refused peer learns nothing about them. A refused call is answered with a remote exception that a
 * Python client raises as {@code PermissionError} (a Java client gets a {@link RemoteException} whose
 * {@linkplain RemoteException#remoteClassName() class} is {@code builtins.PermissionError}); a
 * refused signal is dropped. Both are logged at WARN and counted ({@link RpcServer#deniedCalls()}).
 *
 * <p>The peer is the identity the caller announced. Without TLS identities bound to certificates
 * (an {@code IdentityVerifier} such as {@code CertificateIdentityVerifier}, or the starter's
 * {@code snakemq.tls.verify-identity=true}) that identity is only a claim: any process that can
 * connect can announce any name, and a policy on names then keeps out only the honest.
 *
 * <p>Threads: called on the link's loop thread, for every request. It must be fast and must not
 * block; an exception it throws counts as a refusal.
 */
@FunctionalInterface
public interface RpcAccessPolicy {

    /**
     * One request to decide on. Immutable; made and passed to the policy on the loop thread.
     *
     * @param peer       the caller's identity
     * @param object     the object name the caller asked for
     * @param method     the method's remote name: its {@link RpcName} when it has one (whichever name
     *                   the caller used), else the name the caller sent
     * @param signal     whether the request is a signal (no reply expected)
     * @param connection the connection the request arrived on, for its address and TLS certificates
     */
    record Call(String peer, String object, String method, boolean signal, Connection connection) {
    }

    /** Whether {@code call} may run. */
    boolean allows(Call call);

    /** Every peer may call every served method: the default, as in the original snakeMQ. */
    static RpcAccessPolicy allowAll() {
        return call -> true;
    }

    /** Allows what both this policy and {@code other} allow; {@code other} is asked only if this one allows. */
    default RpcAccessPolicy and(RpcAccessPolicy other) {
        Objects.requireNonNull(other, "other");
        return call -> allows(call) && other.allows(call);
    }
}
