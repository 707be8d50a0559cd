package org.snakemq.rpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.DateTimeConstructor;

/**
 * An unpickler for data from untrusted peers. It reads protocols 0 to 5 like the library's, but resolves
 * globals from its own allow-list instead of the library's JVM-wide registry: the few constructors RPC
 * needs ({@code _codecs.encode}, {@code bytes}, {@code bytearray}, {@code set}, {@code frozenset},
 * {@code decimal.Decimal}, {@code datetime}) build plain Java values, and every other global becomes an
 * inert {@link PyGlobal} whose "instances" are {@link PyObject} records. BUILD only ever sets the state
 * of such a record (no reflective {@code __setstate__} on arbitrary classes), persistent ids are refused,
 * and length prefixes are checked against the bytes actually present before anything is allocated.
 *
 * <p>Not thread-safe: use one instance per message.
 */
final class RpcUnpickler extends Unpickler {

    private static final Map<String, IObjectConstructor> ALLOWED = allowList();

    private static Map<String, IObjectConstructor> allowList() {
        Map<String, IObjectConstructor> allowed = new HashMap<>();
        allowed.put("_codecs.encode", RpcUnpickler::codecsEncode);
        // Python 3 names the module of the builtin types "builtins", Python 2 "__builtin__"
        for (String builtins : List.of("builtins", "__builtin__")) {
            allowed.put(builtins + ".bytes", RpcUnpickler::bytes);
            allowed.put(builtins + ".bytearray", RpcUnpickler::bytes);
            allowed.put(builtins + ".set", RpcUnpickler::set);
            allowed.put(builtins + ".frozenset", RpcUnpickler::set);
        }
        allowed.put("decimal.Decimal", RpcUnpickler::decimal);
        allowed.put("copyreg._reconstructor", RpcUnpickler::reconstructor);
        allowed.put("copy_reg._reconstructor", RpcUnpickler::reconstructor); // Python 2's name of copyreg
        allowed.put("datetime.datetime", new DateTimeConstructor(DateTimeConstructor.DATETIME));
        allowed.put("datetime.date", new DateTimeConstructor(DateTimeConstructor.DATE));
        allowed.put("datetime.time", new DateTimeConstructor(DateTimeConstructor.TIME));
        allowed.put("datetime.timedelta", new DateTimeConstructor(DateTimeConstructor.TIMEDELTA));
        return Map.copyOf(allowed);
    }

    /** Unpickles {@code length} bytes of {@code data} from {@code offset}. */
    Object loads(byte[] data, int offset, int length) throws IOException {
        try {
            return load(new ByteArrayInputStream(data, offset, length));
        } finally {
            close();
        }
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw new PickleException("STACK_GLOBAL needs two strings");
                }
                stack.add(resolve(m, n));
            }
            case Opcodes.INST -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                List<Object> args = stack.pop_all_since_marker();
                stack.add(resolve(module, name).construct(args.toArray()));
            }
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                Object target = stack.peek();
                if (!(target instanceof PyObject object)) {
                    throw new PickleException("BUILD is not supported for " + typeName(target));
                }
                object.setState(state);
            }
            case Opcodes.PERSID, Opcodes.BINPERSID -> throw new PickleException("persistent ids are not supported");
            case Opcodes.BINBYTES -> stack.add(readCounted(4));
            case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> stack.add(readCounted(8));
            case Opcodes.BINUNICODE -> stack.add(new String(readCounted(4), StandardCharsets.UTF_8));
            case Opcodes.BINUNICODE8 -> stack.add(new String(readCounted(8), StandardCharsets.UTF_8));
            case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(readCounted(4)));
            case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(readCounted(4)));
            default -> {
                return super.dispatch(key);
            }
        }
        return NO_RETURN_VALUE;
    }

    /** Reads a little-endian length of {@code size} bytes and that many bytes, refusing lengths beyond the input. */
    private byte[] readCounted(int size) throws IOException {
        byte[] prefix = PickleUtils.readbytes(input, size);
        long length = size == 4
                ? PickleUtils.bytes_to_integer(prefix)
                : PickleUtils.bytes_to_long(prefix, 0);
        if (length < 0 || length > input.available()) {
            throw new PickleException("length " + length + " exceeds the " + input.available() + " bytes left");
        }
        return PickleUtils.readbytes(input, (int) length);
    }

    private static IObjectConstructor resolve(String module, String name) {
        IObjectConstructor constructor = ALLOWED.get(module + "." + name);
        return constructor != null ? constructor : new PyGlobal(module, name);
    }

    private static Object codecsEncode(Object[] args) {
        if (args.length < 1 || args.length > 2 || !(args[0] instanceof String text)) {
            throw new PickleException("_codecs.encode expects (str, encoding)");
        }
        Charset charset = args.length == 2 ? charset(args[1]) : StandardCharsets.UTF_8;
        return text.getBytes(charset);
    }

    private static Object bytes(Object[] args) {
        if (args.length == 0) {
            return new byte[0];
        }
        if (args[0] instanceof byte[] b && args.length == 1) {
            return b;
        }
        if (args[0] instanceof String text && args.length == 2) {
            return text.getBytes(charset(args[1]));
        }
        if (args.length == 1 && (args[0] instanceof Collection<?> || args[0] instanceof Object[])) {
            List<?> items = args[0] instanceof Object[] a ? Arrays.asList(a) : new ArrayList<>((Collection<?>) args[0]);
            byte[] out = new byte[items.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(items.get(i) instanceof Integer v) || v < 0 || v > 255) {
                    throw new PickleException("bytes() item out of range");
                }
                out[i] = (byte) (int) v;
            }
            return out;
        }
        throw new PickleException("unsupported bytes()/bytearray() arguments");
    }

    private static Charset charset(Object encoding) {
        if (!(encoding instanceof String name)) {
            throw new PickleException("encoding must be a str");
        }
        return switch (name.toLowerCase().replace('_', '-')) {
            case "latin1", "latin-1", "iso-8859-1", "iso8859-1" -> StandardCharsets.ISO_8859_1;
            case "utf-8", "utf8" -> StandardCharsets.UTF_8;
            case "ascii" -> StandardCharsets.US_ASCII;
            default -> throw new PickleException("unsupported encoding " + name);
        };
    }

    private static Object set(Object[] args) {
        Set<Object> set = new HashSet<>();
        if (args.length == 1 && args[0] instanceof Collection<?> items) {
            set.addAll(items);
        } else if (args.length == 1 && args[0] instanceof Object[] items) {
            set.addAll(Arrays.asList(items));
        } else if (args.length != 0) {
            throw new PickleException("unsupported set() arguments");
        }
        return set;
    }

    private static Object decimal(Object[] args) {
        if (args.length != 1 || !(args[0] instanceof String text)) {
            throw new PickleException("decimal.Decimal expects one str");
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new PickleException("not a decimal the JVM can hold: " + text);
        }
    }

    private static Object reconstructor(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof PyGlobal cls)) {
            throw new PickleException("unsupported copyreg._reconstructor arguments");
        }
        return new PyObject(cls.module(), cls.name(), List.of(), null);
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getName();
    }
}
