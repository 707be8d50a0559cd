package org.snakemq.rpc;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Queue;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Converts unpickled values (the shapes Python sends: int, float, str, bytes, list, tuple, dict, set,
 * None) to the Java type a method declares, generics included: numbers with range checks, enums from
 * their name, records and JavaBeans from dicts of their properties, collections, maps, arrays and
 * {@code Optional} element by element. The reverse direction is {@link RpcPickler}'s job.
 *
 * <p>Stateless and thread-safe. Failures are {@link IllegalArgumentException}s naming the path of the
 * offending value.
 */
final class ValueConverter {

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(int.class, Integer.class, long.class, Long.class,
            double.class, Double.class, boolean.class, Boolean.class, float.class, Float.class, short.class,
            Short.class, byte.class, Byte.class, char.class, Character.class);

    /** Deeper values are refused rather than risking the stack of the thread converting them. */
    static final int MAX_DEPTH = 256;

    private ValueConverter() {
    }

    static Object convert(Object value, Type target) {
        try {
            return convert(value, target, 0);
        } catch (PathException e) {
            throw new IllegalArgumentException("value" + e.path + ": " + e.getMessage(), e.getCause());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("value: " + e.getMessage(), e.getCause());
        }
    }

    /** A failure deep inside a value; the path is built on the way out, only when something failed. */
    private static final class PathException extends IllegalArgumentException {
        private String path = "";

        PathException(String message, Throwable cause) {
            super(message, cause);
        }

        PathException under(String segment) {
            path = segment + path;
            return this;
        }
    }

    private static Object child(Object value, Type target, int depth, String segment) {
        try {
            return convert(value, target, depth + 1);
        } catch (PathException e) {
            throw e.under(segment);
        } catch (IllegalArgumentException e) {
            throw new PathException(e.getMessage(), e.getCause()).under(segment);
        }
    }

    private static Object convert(Object value, Type target, int depth) {
        if (depth > MAX_DEPTH) {
            throw new PathException("nested deeper than " + MAX_DEPTH + " levels", null);
        }
        Class<?> raw = rawClass(target);
        if (value == null) {
            if (raw == Optional.class) {
                return Optional.empty();
            }
            if (raw.isPrimitive()) {
                throw mismatch(null, raw);
            }
            return null;
        }
        if (raw == Object.class) {
            return RpcCodec.tuplesAsLists(value);
        }
        if (raw == Optional.class) {
            return Optional.ofNullable(convert(value, typeArgument(target, 0), depth));
        }
        if (raw.isPrimitive()) {
            raw = boxed(raw);
        }
        if (raw == String.class) {
            if (value instanceof String) {
                return value;
            }
            throw mismatch(value, raw);
        }
        if (Number.class.isAssignableFrom(raw)) {
            return number(value, raw);
        }
        if (raw == Boolean.class) {
            if (value instanceof Boolean) {
                return value;
            }
            throw mismatch(value, raw);
        }
        if (raw == Character.class) {
            if (value instanceof String s && s.length() == 1) {
                return s.charAt(0);
            }
            throw mismatch(value, raw);
        }
        if (raw == byte[].class) {
            if (value instanceof byte[]) {
                return value;
            }
            if (value instanceof String s) {
                return s.getBytes(StandardCharsets.ISO_8859_1);
            }
            throw mismatch(value, raw);
        }
        if (raw.isEnum()) {
            if (value instanceof String name) {
                for (Object constant : raw.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals(name)) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException(raw.getSimpleName() + " has no constant " + name);
            }
            throw mismatch(value, raw);
        }
        if (raw == UUID.class) {
            if (value instanceof String s) {
                return UUID.fromString(s);
            }
            if (value instanceof byte[] b && b.length == 16) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b);
                return new UUID(buffer.getLong(), buffer.getLong());
            }
            throw mismatch(value, raw);
        }
        if (raw == URI.class && value instanceof String s) {
            return URI.create(s);
        }
        if ((TemporalAccessor.class.isAssignableFrom(raw) || TemporalAmount.class.isAssignableFrom(raw))
                && value instanceof String text) {
            return parse(raw, text);
        }
        if (raw == Date.class && value instanceof Calendar calendar) {
            return calendar.getTime();
        }
        if (raw.isArray()) {
            List<?> items = sequence(value, raw);
            Class<?> component = raw.getComponentType();
            Type componentType = target instanceof GenericArrayType g ? g.getGenericComponentType() : component;
            Object array = Array.newInstance(component, items.size());
            for (int i = 0; i < items.size(); i++) {
                Array.set(array, i, child(items.get(i), componentType, depth, "[" + i + "]"));
            }
            return array;
        }
        if (Collection.class.isAssignableFrom(raw) || raw == Iterable.class) {
            List<?> items = sequence(value, raw);
            @SuppressWarnings("unchecked")
            Collection<Object> collection = (Collection<Object>) newCollection(raw);
            Type element = typeArgument(target, 0);
            for (int i = 0; i < items.size(); i++) {
                collection.add(child(items.get(i), element, depth, "[" + i + "]"));
            }
            return collection;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!(value instanceof Map<?, ?> source)) {
                throw mismatch(value, raw);
            }
            @SuppressWarnings("unchecked")
            Map<Object, Object> map = (Map<Object, Object>) newMap(raw);
            Type keyType = typeArgument(target, 0);
            Type valueType = typeArgument(target, 1);
            for (Map.Entry<?, ?> e : source.entrySet()) {
                Object key = child(e.getKey(), keyType, depth, ".key");
                map.put(key, child(e.getValue(), valueType, depth, "[" + key + "]"));
            }
            return map;
        }
        if (raw.isInstance(value)) {
            return value;
        }
        if (value instanceof Map<?, ?> dict) {
            if (raw.isRecord()) {
                return record(dict, raw, target, depth);
            }
            if (!raw.isInterface() && !Modifier.isAbstract(raw.getModifiers()) && !JavaProperties.setters(raw).isEmpty()) {
                return bean(dict, raw, target, depth);
            }
        }
        throw mismatch(value, raw);
    }

    private static Object number(Object value, Class<?> raw) {
        if (!(value instanceof Number number) || value instanceof Boolean) {
            throw mismatch(value, raw);
        }
        boolean integral = value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte;
        if (raw == Double.class) {
            return number.doubleValue();
        }
        if (raw == Float.class) {
            return number.floatValue();
        }
        if (raw == BigDecimal.class) {
            return value instanceof BigDecimal ? value
                    : integral ? new BigDecimal(big(number)) : BigDecimal.valueOf(number.doubleValue());
        }
        if (!integral) {
            throw mismatch(value, raw);
        }
        BigInteger big = big(number);
        if (raw == BigInteger.class) {
            return big;
        }
        int bits = raw == Long.class ? 64 : raw == Integer.class ? 32 : raw == Short.class ? 16 : raw == Byte.class ? 8 : -1;
        if (bits < 0) {
            throw mismatch(value, raw);
        }
        if (big.bitLength() > bits - 1) {
            throw new IllegalArgumentException(value + " does not fit in " + raw.getSimpleName());
        }
        long v = big.longValue();
        return switch (bits) {
            case 64 -> v;
            case 32 -> (int) v;
            case 16 -> (short) v;
            default -> (byte) v;
        };
    }

    private static BigInteger big(Number number) {
        return number instanceof BigInteger b ? b : BigInteger.valueOf(number.longValue());
    }

    private static Object record(Map<?, ?> dict, Class<?> raw, Type target, int depth) {
        RecordComponent[] components = raw.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        Map<TypeVariable<?>, Type> bindings = bindings(raw, target);
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            if (!dict.containsKey(c.getName()) && c.getType().isPrimitive()) {
                throw new IllegalArgumentException("missing " + c.getName() + " for " + raw.getSimpleName());
            }
            args[i] = child(dict.get(c.getName()), resolve(c.getGenericType(), bindings), depth, "." + c.getName());
        }
        try {
            Constructor<?> constructor = raw.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(raw.getSimpleName() + " rejected the values: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot construct " + raw.getName() + ": " + e, e);
        }
    }

    private static Object bean(Map<?, ?> dict, Class<?> raw, Type target, int depth) {
        Object bean;
        try {
            Constructor<?> constructor = raw.getDeclaredConstructor();
            constructor.setAccessible(true);
            bean = constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException(raw.getName() + " has no usable no-argument constructor", e);
        }
        Map<TypeVariable<?>, Type> bindings = bindings(raw, target);
        Map<String, Method> setters = JavaProperties.setters(raw);
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            Method setter = setters.get(String.valueOf(e.getKey()));
            if (setter == null) {
                continue;
            }
            Object converted = child(e.getValue(), resolve(setter.getGenericParameterTypes()[0], bindings),
                    depth, "." + e.getKey());
            try {
                setter.invoke(bean, converted);
            } catch (InvocationTargetException ex) {
                throw new PathException("setter failed: " + ex.getCause(), ex.getCause()).under("." + e.getKey());
            } catch (IllegalAccessException ex) {
                throw new PathException(ex.toString(), ex).under("." + e.getKey());
            }
        }
        return bean;
    }

    private static List<?> sequence(Object value, Class<?> raw) {
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof Object[] tuple) {
            return Arrays.asList(tuple);
        }
        if (value instanceof Collection<?> collection) {
            return new ArrayList<>(collection);
        }
        throw mismatch(value, raw);
    }

    private static Collection<?> newCollection(Class<?> raw) {
        if (raw.isAssignableFrom(ArrayList.class)) {
            return new ArrayList<>();
        }
        if (raw.isAssignableFrom(LinkedHashSet.class)) {
            return new LinkedHashSet<>();
        }
        if (raw.isAssignableFrom(TreeSet.class) && (raw == SortedSet.class || raw == NavigableSet.class)) {
            return new TreeSet<>();
        }
        if (raw.isAssignableFrom(ArrayDeque.class) || raw == Queue.class) {
            return new ArrayDeque<>();
        }
        return (Collection<?>) instantiate(raw);
    }

    private static Map<?, ?> newMap(Class<?> raw) {
        if (raw.isAssignableFrom(LinkedHashMap.class)) {
            return new LinkedHashMap<>();
        }
        if (raw == SortedMap.class || raw == NavigableMap.class) {
            return new TreeMap<>();
        }
        if (raw == ConcurrentMap.class) {
            return new ConcurrentHashMap<>();
        }
        return (Map<?, ?>) instantiate(raw);
    }

    private static Object instantiate(Class<?> raw) {
        try {
            return raw.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot create a " + raw.getName(), e);
        }
    }

    private static Object parse(Class<?> raw, String text) {
        try {
            Method parse = raw.getMethod("parse", CharSequence.class);
            return parse.invoke(null, text);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("not a " + raw.getSimpleName() + ": " + text, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot parse a " + raw.getName(), e);
        }
    }

    static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        if (type instanceof GenericArrayType g) {
            return Array.newInstance(rawClass(g.getGenericComponentType()), 0).getClass();
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        return Object.class;
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    private static Map<TypeVariable<?>, Type> bindings(Class<?> raw, Type target) {
        if (!(target instanceof ParameterizedType p)) {
            return Map.of();
        }
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        TypeVariable<?>[] variables = raw.getTypeParameters();
        Type[] actual = p.getActualTypeArguments();
        for (int i = 0; i < variables.length && i < actual.length; i++) {
            bindings.put(variables[i], actual[i]);
        }
        return bindings;
    }

    /** Substitutes a generic class's type variables, e.g. {@code T value} of {@code Box<String>}. */
    private static Type resolve(Type type, Map<TypeVariable<?>, Type> bindings) {
        if (bindings.isEmpty()) {
            return type;
        }
        if (type instanceof TypeVariable<?> v) {
            return bindings.getOrDefault(v, v);
        }
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments().clone();
            for (int i = 0; i < args.length; i++) {
                args[i] = resolve(args[i], bindings);
            }
            return new ResolvedType((Class<?>) p.getRawType(), args);
        }
        if (type instanceof GenericArrayType g) {
            Type component = resolve(g.getGenericComponentType(), bindings);
            return (GenericArrayType) () -> component;
        }
        return type;
    }

    private record ResolvedType(Class<?> rawType, Type[] arguments) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return arguments.clone();
        }

        @Override
        public Type getRawType() {
            return rawType;
        }

        @Override
        public Type getOwnerType() {
            return null;
        }
    }

    private static Class<?> boxed(Class<?> primitive) {
        return BOXES.getOrDefault(primitive, Void.class);
    }

    private static IllegalArgumentException mismatch(Object value, Class<?> target) {
        String actual = value instanceof PyObject p ? "Python " + p.qualifiedName()
                : value instanceof String ? "str" : value == null ? "None" : value.getClass().getSimpleName();
        return new IllegalArgumentException("cannot convert " + actual + " to " + target.getSimpleName());
    }
}
