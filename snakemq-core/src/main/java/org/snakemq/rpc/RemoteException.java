package org.snakemq.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The remote method raised an exception. Carries the remote class name (the Java class for a Java peer,
 * {@code module.Class} for a Python peer, e.g. {@code builtins.ValueError}), its message and the remote
 * traceback text (the original's {@code exception_format}, which Python clients find in
 * {@code __remote_traceback__}). The remote traceback is also attached as the {@linkplain #getCause()
 * cause}, a {@link RemoteTraceback} whose message is the text, so logged stack traces show it.
 * Thrown to the calling thread, or completes the future of an asynchronous call.
 */
public class RemoteException extends RpcException {

    private final String remoteClassName;
    private final String remoteMessage;
    private final List<Object> remoteArgs;
    private final String remoteTraceback;

    public RemoteException(String remoteClassName, String remoteMessage, List<Object> remoteArgs, String remoteTraceback) {
        super(remoteMessage == null || remoteMessage.isEmpty() ? remoteClassName : remoteClassName + ": " + remoteMessage,
                remoteTraceback == null || remoteTraceback.isEmpty() ? null : new RemoteTraceback(remoteTraceback));
        this.remoteClassName = remoteClassName;
        this.remoteMessage = remoteMessage == null ? "" : remoteMessage;
        this.remoteArgs = Collections.unmodifiableList(new ArrayList<>(remoteArgs));
        this.remoteTraceback = remoteTraceback == null ? "" : remoteTraceback;
    }

    /** A copy whose stack trace is the calling thread's, as the original raises remote exceptions locally. */
    RemoteException inCallingThread() {
        return new RemoteException(remoteClassName, remoteMessage, remoteArgs, remoteTraceback);
    }

    /** The remote exception's class: a Java class name, or {@code module.Class} for Python. */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** The remote message (for Python, {@code str(args[0])} or the args when there are several). */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** The remote exception's constructor arguments as unpickled. */
    public List<Object> remoteArgs() {
        return remoteArgs;
    }

    /** The remote traceback text, empty when the peer sent none. */
    public String remoteTraceback() {
        return remoteTraceback;
    }

    /** Holds the remote traceback text so that it is printed under "Caused by:" in logs. Immutable. */
    public static final class RemoteTraceback extends Throwable {

        RemoteTraceback(String traceback) {
            super("remote traceback:\n" + traceback.stripTrailing(), null, false, false);
        }
    }
}
