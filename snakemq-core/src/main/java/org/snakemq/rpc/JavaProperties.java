package org.snakemq.rpc;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties RPC maps to and from Python dicts: record components, or JavaBean getters and
 * setters. Looked up once per class.
 */
final class JavaProperties {

    private static final ClassValue<Map<String, Method>> GETTERS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return type.isRecord() ? recordAccessors(type) : beanMethods(type, true);
        }
    };

    private static final ClassValue<Map<String, Method>> SETTERS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            return beanMethods(type, false);
        }
    };

    private JavaProperties() {
    }

    /** Readable properties in declaration order for records; name to getter. */
    static Map<String, Method> getters(Class<?> type) {
        return GETTERS.get(type);
    }

    /** Writable bean properties; name to setter. */
    static Map<String, Method> setters(Class<?> type) {
        return SETTERS.get(type);
    }

    private static Map<String, Method> recordAccessors(Class<?> type) {
        Map<String, Method> accessors = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            accessors.put(component.getName(), accessible(component.getAccessor()));
        }
        return Collections.unmodifiableMap(accessors);
    }

    private static Map<String, Method> beanMethods(Class<?> type, boolean getters) {
        Map<String, Method> methods = new LinkedHashMap<>();
        for (Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.getName();
            String property = null;
            if (getters && m.getParameterCount() == 0 && m.getReturnType() != void.class) {
                if (name.startsWith("get") && name.length() > 3) {
                    property = name.substring(3);
                } else if (name.startsWith("is") && name.length() > 2
                        && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
                    property = name.substring(2);
                }
            } else if (!getters && m.getParameterCount() == 1 && name.startsWith("set") && name.length() > 3) {
                property = name.substring(3);
            }
            if (property != null) {
                methods.putIfAbsent(decapitalize(property), accessible(m));
            }
        }
        return Collections.unmodifiableMap(methods);
    }

    /** JavaBeans rule: "URL" stays "URL", "Name" becomes "name". */
    private static String decapitalize(String name) {
        if (name.length() > 1 && Character.isUpperCase(name.charAt(1)) && Character.isUpperCase(name.charAt(0))) {
            return name;
        }
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /** Public methods of non-public classes (nested records in tests, lambdas) need this to be invoked. */
    static Method accessible(Method m) {
        try {
            m.setAccessible(true);
        } catch (RuntimeException e) {
            // module encapsulation: invoke will report the problem if there is one
        }
        return m;
    }
}
