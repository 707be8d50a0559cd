package org.snakemq.rpc;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps exceptions between the two worlds. A Java exception goes to the peer as a real Python exception
 * instance that every Python 3 can unpickle: {@code RuntimeError("<java class>: <message>")} with a
 * {@code java_class} attribute, or the original's own {@code snakemq.rpc.NoInstanceError} /
 * {@code NoMethodError} and Python's {@code TypeError} for dispatch failures, {@code PermissionError}
 * for a call the access policy refused. A remote exception read
 * from the peer becomes a {@link RemoteException}.
 */
final class PythonExceptions {

    /** Python 3 writes builtin exceptions under this module at protocol 2; Python 2 and 3 both read it. */
    static final String BUILTINS = "exceptions";
    /** Where Python 3 finds builtin exceptions that Python 2 lacks, such as {@code PermissionError}. */
    static final String PYTHON3_BUILTINS = "builtins";
    static final String JAVA_CLASS_ATTRIBUTE = "java_class";

    private PythonExceptions() {
    }

    static PyObject toPython(Throwable error) {
        if (error instanceof UnknownObjectException e) {
            return new PyObject("snakemq.rpc", "NoInstanceError", List.of(e.name()), null);
        }
        if (error instanceof UnknownMethodException e) {
            return new PyObject("snakemq.rpc", "NoMethodError", List.of(e.name()), null);
        }
        if (error instanceof CallDeniedException) {
            // Python 3 only: its unpickler maps Python 2's "exceptions" module for Python 2's names alone
            return new PyObject(PYTHON3_BUILTINS, "PermissionError", List.of(String.valueOf(error.getMessage())), null);
        }
        if (error instanceof ArgumentMismatchException) {
            return new PyObject(BUILTINS, "TypeError", List.of(String.valueOf(error.getMessage())), null);
        }
        String javaClass = error instanceof RemoteException remote ? remote.remoteClassName() : error.getClass().getName();
        String message = error instanceof RemoteException remote ? remote.remoteMessage() : error.getMessage();
        String text = message == null ? javaClass : javaClass + ": " + message;
        return new PyObject(BUILTINS, "RuntimeError", List.of(text), Map.of(JAVA_CLASS_ATTRIBUTE, javaClass));
    }

    /** The Java stack trace as a list of lines ending in a newline, the shape of Python's traceback.format_exception. */
    static List<String> format(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        List<String> lines = new ArrayList<>();
        for (String line : text.toString().split("\r?\n")) {
            lines.add(line + "\n");
        }
        return lines;
    }

    /**
     * @param exception the unpickled {@code exception} field
     * @param format    the unpickled {@code exception_format} field: a list of strings, a string or None
     */
    static RemoteException toRemote(Object exception, Object format) {
        String traceback = tracebackText(format);
        if (!(exception instanceof PyObject object)) {
            return new RemoteException("unknown", String.valueOf(exception), List.of(), traceback);
        }
        String message = switch (object.args().size()) {
            case 0 -> "";
            case 1 -> String.valueOf(object.args().get(0));
            default -> String.valueOf(object.args());
        };
        String className = object.qualifiedName();
        if (object.state() instanceof Map<?, ?> state && state.get(JAVA_CLASS_ATTRIBUTE) instanceof String javaClass) {
            className = javaClass;
            if (message.startsWith(javaClass + ": ")) {
                message = message.substring(javaClass.length() + 2);
            } else if (message.equals(javaClass)) {
                message = "";
            }
        }
        return new RemoteException(className, message, object.args(), traceback);
    }

    private static String tracebackText(Object format) {
        if (format instanceof List<?> lines) {
            StringBuilder text = new StringBuilder();
            lines.forEach(text::append);
            return text.toString();
        }
        if (format instanceof Object[] lines) {
            return String.join("", java.util.Arrays.stream(lines).map(String::valueOf).toList());
        }
        return format == null ? "" : format.toString();
    }
}
