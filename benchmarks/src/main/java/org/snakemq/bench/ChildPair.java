package org.snakemq.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The set-up most scenarios share: a child that listens and reports {@code @READY target=PORT}, and a
 * child that dials that port. Closing the pair ends the dialler first, then the listener.
 *
 * @param listener the child started first (a receiver or server)
 * @param dialler  the child started with {@code target=PORT} added to its arguments (a sender or client)
 */
record ChildPair(Child listener, Child dialler) implements AutoCloseable {

    /**
     * Starts both children, with the same JVM options: the scenario's {@code jvm} followed by
     * {@code extraJvm} (for one variant of a run, for example a spin limit).
     */
    static ChildPair start(Bench bench, List<String> jvm, List<String> extraJvm, String listenerRole,
                           Map<String, ?> listenerArgs, String diallerRole, Map<String, ?> diallerArgs)
            throws Exception {
        List<String> options = new ArrayList<>(jvm);
        options.addAll(extraJvm);
        Child listener = Child.start(bench, listenerRole, options, listenerArgs);
        try {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("target", listener.awaitReady().get("target"));
            args.putAll(diallerArgs);
            return new ChildPair(listener, Child.start(bench, diallerRole, options, args));
        } catch (Exception | Error e) {
            listener.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            dialler.close();
        } finally {
            listener.close();
        }
    }
}
