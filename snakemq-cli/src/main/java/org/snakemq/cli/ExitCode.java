package org.snakemq.cli;

/** The exit codes of every command; scripts depend on them, so they never change meaning. */
public final class ExitCode {

    /** Done: everything asked for happened. */
    public static final int OK = 0;
    /** Timed out: the peer was unreachable, did not answer, or not everything arrived in time. */
    public static final int TIMEOUT = 1;
    /** Bad command line: unknown option, bad value, missing argument. */
    public static final int USAGE = 2;
    /** {@code rpc call}: the remote method raised an exception. */
    public static final int REMOTE_EXCEPTION = 3;
    /** TLS: a key or certificate file is unusable, or the TLS handshake with a peer failed. */
    public static final int TLS = 4;
    /** Anything else: cannot listen on an address, storage failure, internal error. */
    public static final int FAILURE = 5;
    /** Stopped by an interrupt before it was done. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
