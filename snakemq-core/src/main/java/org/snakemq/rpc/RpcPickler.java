package org.snakemq.rpc;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import net.razorvine.pickle.IObjectPickler;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Pickler;

/**
 * Writes pickle protocol 2 that every Python 3 reads, with the rules RPC needs on top of the library's:
 * <ul>
 * <li>{@code byte[]} is written the way Python 3 itself writes {@code bytes} at protocol 2
 *     ({@code _codecs.encode(<latin-1 text>, 'latin1')}, or {@code bytes()} when empty), so the peer gets
 *     {@code bytes} and not the library's default {@code bytearray};</li>
 * <li>other primitive arrays become lists; {@code Object[]} stays a tuple (the library's rule);</li>
 * <li>records and JavaBeans become dicts of their properties, enums their name, {@code Optional} its
 *     value or None, UUIDs, URIs and {@code java.time} values their text;</li>
 * <li>{@link PyObject}s (remote objects, exceptions built by {@link PythonExceptions}) are written as a
 *     call of their class with their arguments plus their state, as Python writes exceptions.</li>
 * </ul>
 * The custom picklers ({@link IObjectPickler}s) are looked up per instance through the library's
 * {@code getCustomPickler} hook rather than registered in its JVM-wide static registry, so other users
 * of the library in the same JVM are not affected. Arrays are handled in {@link #save} because the
 * library dispatches arrays before it consults custom picklers. Memoization is off: values
 * are trees, and the library's value-based memo would merge equal mutable objects.
 *
 * <p>Not thread-safe: use one instance per message.
 */
final class RpcPickler extends Pickler {

    private static final byte[] CODECS_ENCODE = "_codecs\nencode\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BUILTIN_BYTES = "__builtin__\nbytes\n".getBytes(StandardCharsets.US_ASCII);

    private static final ClassValue<IObjectPickler> PICKLERS = new ClassValue<>() {
        @Override
        protected IObjectPickler computeValue(Class<?> type) {
            return pickerFor(type);
        }
    };

    RpcPickler() {
        super(false);
    }

    /** Writes {@code prefix} followed by the pickle of {@code value} into {@code out}. */
    void dump(byte[] prefix, Object value, OutputStream out) throws IOException {
        out.write(prefix);
        dump(value, out);
    }

    @Override
    public void save(Object o) throws PickleException, IOException {
        if (o instanceof byte[] bytes) {
            saveBytes(bytes);
        } else if (o != null && o.getClass().isArray() && o.getClass().getComponentType().isPrimitive()
                && !(o instanceof char[])) {
            out.write(Opcodes.EMPTY_LIST);
            out.write(Opcodes.MARK);
            int length = Array.getLength(o);
            for (int i = 0; i < length; i++) {
                save(Array.get(o, i));
            }
            out.write(Opcodes.APPENDS);
        } else {
            super.save(o);
        }
    }

    private void saveBytes(byte[] bytes) throws IOException {
        out.write(Opcodes.GLOBAL);
        if (bytes.length == 0) {
            out.write(BUILTIN_BYTES);
            out.write(Opcodes.EMPTY_TUPLE);
        } else {
            out.write(CODECS_ENCODE);
            writeUnicode(PickleUtils.rawStringFromBytes(bytes));
            writeUnicode("latin1");
            out.write(Opcodes.TUPLE2);
        }
        out.write(Opcodes.REDUCE);
    }

    private void writeUnicode(String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.write(Opcodes.BINUNICODE);
        out.write(PickleUtils.integer_to_bytes(utf8.length));
        out.write(utf8);
    }

    @Override
    protected IObjectPickler getCustomPickler(Class<?> type) {
        return PICKLERS.get(type);
    }

    /** Null where the library's own dispatch already does the right thing. */
    private static IObjectPickler pickerFor(Class<?> type) {
        if (PyObject.class == type) {
            return (o, out, pickler) -> savePyObject((PyObject) o, out, pickler);
        }
        if (Throwable.class.isAssignableFrom(type)) {
            return (o, out, pickler) -> savePyObject(PythonExceptions.toPython((Throwable) o), out, pickler);
        }
        if (type == String.class || type == BigInteger.class || type == BigDecimal.class
                || Map.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)
                || Date.class.isAssignableFrom(type) || Calendar.class.isAssignableFrom(type)
                || TimeZone.class.isAssignableFrom(type) || type.getName().startsWith("net.razorvine.pickle.")) {
            return null;
        }
        if (Enum.class.isAssignableFrom(type)) {
            return (o, out, pickler) -> pickler.save(((Enum<?>) o).name());
        }
        if (type == Optional.class) {
            return (o, out, pickler) -> pickler.save(((Optional<?>) o).orElse(null));
        }
        if (type == AtomicInteger.class || type == AtomicLong.class) {
            return (o, out, pickler) -> pickler.save(((Number) o).longValue());
        }
        if (type == UUID.class || type == URI.class || TemporalAccessor.class.isAssignableFrom(type)
                || TemporalAmount.class.isAssignableFrom(type)) {
            return (o, out, pickler) -> pickler.save(o.toString());
        }
        Map<String, Method> getters = JavaProperties.getters(type);
        if (!type.isRecord() && getters.isEmpty()) {
            return (o, out, pickler) -> {
                throw new PickleException("cannot pickle " + type.getName()
                        + ": not a record, a bean with getters, or a supported value type");
            };
        }
        return (o, out, pickler) -> pickler.save(properties(o, getters));
    }

    private static Map<String, Object> properties(Object o, Map<String, Method> getters) {
        Map<String, Object> dict = new LinkedHashMap<>();
        for (Map.Entry<String, Method> getter : getters.entrySet()) {
            try {
                dict.put(getter.getKey(), getter.getValue().invoke(o));
            } catch (IllegalAccessException e) {
                throw new PickleException("cannot read " + getter.getKey() + " of " + o.getClass().getName() + ": " + e);
            } catch (InvocationTargetException e) {
                throw new PickleException("getter " + getter.getKey() + " of " + o.getClass().getName()
                        + " failed: " + e.getCause());
            }
        }
        return dict;
    }

    private static void savePyObject(PyObject object, OutputStream out, Pickler pickler) throws IOException {
        out.write(Opcodes.GLOBAL);
        out.write((object.module() + "\n" + object.name() + "\n").getBytes(StandardCharsets.UTF_8));
        pickler.save(object.args().toArray());
        out.write(Opcodes.REDUCE);
        if (object.state() != null) {
            pickler.save(object.state());
            out.write(Opcodes.BUILD);
        }
    }
}
