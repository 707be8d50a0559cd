package org.snakemq.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An inert stand-in for a Python object of a class that Java does not map: the unpickler never
 * instantiates a class named by the peer, it records the class name, the constructor arguments and
 * the state instead. Remote Python exceptions arrive as {@code PyObject}s and are turned into
 * {@link RemoteException}s; anything else of an unknown class is handed to the application as is.
 * Not thread-safe (the unpickler sets its state once); publish it safely, as the RPC layer does with results.
 */
public final class PyObject {

    private final String module;
    private final String name;
    private final List<Object> args;
    private Object state;

    /**
     * @param module the Python module, e.g. {@code builtins}
     * @param name   the class name, e.g. {@code ValueError}
     * @param args   the constructor arguments
     * @param state  the state set by pickle's BUILD (usually the instance {@code __dict__}), or null
     */
    public PyObject(String module, String name, List<?> args, Object state) {
        this.module = Objects.requireNonNull(module, "module");
        this.name = Objects.requireNonNull(name, "name");
        this.args = Collections.unmodifiableList(new ArrayList<>(args));
        this.state = state;
    }

    public String module() {
        return module;
    }

    public String name() {
        return name;
    }

    /** {@code module.name}, with Python 2's {@code exceptions} and {@code __builtin__} shown as {@code builtins}. */
    public String qualifiedName() {
        String m = switch (module) {
            case "exceptions", "__builtin__" -> "builtins";
            default -> module;
        };
        return m + "." + name;
    }

    /** The arguments the object was constructed with (a Python exception's {@code args}). */
    public List<Object> args() {
        return args;
    }

    /** The state given by pickle's BUILD opcode, usually a {@code Map} of attributes; null if none. */
    public Object state() {
        return state;
    }

    void setState(Object newState) {
        this.state = newState;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyObject p && module.equals(p.module) && name.equals(p.name)
                && args.equals(p.args) && Objects.equals(state, p.state);
    }

    @Override
    public int hashCode() {
        return Objects.hash(module, name, args);
    }

    @Override
    public String toString() {
        return qualifiedName() + args + (state == null ? "" : " state=" + state);
    }
}
