package org.snakemq.cli;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON on the command line and values for the RPC layer. Parsing gives what the pickler sends as the
 * matching Python values: numbers (Integer, Long, BigInteger, Double), strings, booleans, null,
 * lists and string-keyed maps. Printing accepts whatever an RPC peer returned.
 */
final class JsonValues {

    private static final int MAX_DEPTH = 200;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonValues() {
    }

    /** Parses one JSON value; an {@link IllegalArgumentException} names what is wrong. */
    static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** One line of JSON for a value unpickled from a peer. */
    static String print(Object value) {
        return MAPPER.writeValueAsString(plain(value, 0));
    }

    /**
     * Maps values JSON has no form for: byte strings become base64 strings, tuples and sets arrays,
     * map keys strings, anything else (Python objects, dates) its text.
     */
    private static Object plain(Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH);
        }
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof BigInteger || value instanceof BigDecimal
                || value instanceof Short || value instanceof Byte) {
            return value;
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? d.toString() : d;
        }
        if (value instanceof Float f) {
            return plain(f.doubleValue(), depth);
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(plain(k, depth + 1)), plain(v, depth + 1)));
            return copy;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            collection.forEach(v -> copy.add(plain(v, depth + 1)));
            return copy;
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            List<Object> copy = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                copy.add(plain(Array.get(value, i), depth + 1));
            }
            return copy;
        }
        return String.valueOf(value);
    }
}
