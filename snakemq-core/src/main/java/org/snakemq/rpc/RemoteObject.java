package org.snakemq.rpc;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A registered object and its callable methods, as {@link ServedMethods} chooses them: the public
 * methods of the application's own class (or of one interface), never those of {@code Object} or of
 * the framework. Binds positional and keyword arguments to parameters by name (the project compiles
 * with {@code -parameters}) and converts them to the declared types. Methods are invoked on the
 * registered object itself, so a proxy's advice applies.
 */
final class RemoteObject {

    /** A method bound to converted arguments. */
    record Invocation(Method method, Object[] arguments, boolean signal) {
    }

    private final String name;
    private final Object target;
    private final Map<String, List<Method>> methods = new HashMap<>();
    private final Map<Method, Boolean> signals = new HashMap<>();
    /** Names whose every method is {@link RpcNonBlocking}. */
    private final Set<String> nonBlocking = new HashSet<>();
    /** Every name a caller may use, to the method's remote name (its alias, else its Java name). */
    private final Map<String, String> canonical = new HashMap<>();

    RemoteObject(String name, Object target) {
        this(name, target, null);
    }

    /**
     * @param served null for the user class behind {@code target}, else the interface (or class) whose
     *               methods are served; see {@link ServedMethods#of}
     * @throws IllegalArgumentException {@code target} is not an instance of {@code served}
     */
    RemoteObject(String name, Object target, Class<?> served) {
        Set<Method> nonBlockingMethods = new HashSet<>();
        this.name = name;
        this.target = target;
        Class<?> implementation = java.lang.reflect.Proxy.isProxyClass(target.getClass())
                ? null : ServedMethods.userClass(target.getClass());
        for (Method m : ServedMethods.of(target, served)) {
            Method callable = JavaProperties.accessible(m);
            Method implemented = implementationOf(implementation, m);
            signals.put(callable, marked(m, implemented, RpcSignal.class));
            if (marked(m, implemented, RpcNonBlocking.class)) {
                nonBlockingMethods.add(callable);
            }
            methods.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(callable);
            String alias = remoteName(m);
            if (alias.equals(m.getName()) && implemented != null) {
                alias = remoteName(implemented);
            }
            if (!alias.equals(m.getName())) {
                methods.computeIfAbsent(alias, k -> new ArrayList<>()).add(callable);
            }
            canonical.putIfAbsent(m.getName(), alias);
            canonical.putIfAbsent(alias, alias);
        }
        methods.values().forEach(list -> list.sort(Comparator.comparingInt(Method::getParameterCount)));
        methods.forEach((methodName, candidates) -> {
            if (nonBlockingMethods.containsAll(candidates)) {
                nonBlocking.add(methodName);
            }
        });
    }

    /** Whether every method a caller reaches under {@code methodName} is {@link RpcNonBlocking}. */
    boolean nonBlocking(String methodName) {
        return nonBlocking.contains(methodName);
    }

    Object target() {
        return target;
    }

    /** The names a caller may use: Java names and {@link RpcName} aliases. */
    Set<String> methodNames() {
        return new java.util.TreeSet<>(methods.keySet());
    }

    /** The remote name of the methods a caller reaches under {@code methodName}, or null if none. */
    String canonicalName(String methodName) {
        return canonical.get(methodName);
    }

    /** The method of the same signature in {@code type}, for its annotations; null if none. */
    private static Method implementationOf(Class<?> type, Method m) {
        if (type == null || m.getDeclaringClass() == type) {
            return null;
        }
        try {
            return type.getMethod(m.getName(), m.getParameterTypes());
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * @throws UnknownMethodException     no method of that name
     * @throws ArgumentMismatchException  the arguments fit no method of that name
     */
    Invocation bind(String methodName, List<Object> args, Map<String, Object> kwargs) {
        List<Method> candidates = methods.get(methodName);
        if (candidates == null) {
            throw new UnknownMethodException(name, methodName);
        }
        String firstProblem = null;
        for (Method m : candidates) {
            try {
                return new Invocation(m, arguments(m, args, kwargs), signals.get(m));
            } catch (IllegalArgumentException e) {
                if (firstProblem == null) {
                    firstProblem = e.getMessage();
                }
            }
        }
        throw new ArgumentMismatchException(name + "." + methodName + "(): " + firstProblem);
    }

    Object invoke(Invocation invocation) throws Throwable {
        try {
            return invocation.method().invoke(target, invocation.arguments());
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object[] arguments(Method m, List<Object> args, Map<String, Object> kwargs) {
        Parameter[] parameters = m.getParameters();
        if (args.size() > parameters.length) {
            throw new IllegalArgumentException("takes " + parameters.length + " positional arguments but "
                    + args.size() + " were given");
        }
        Object[] raw = new Object[parameters.length];
        boolean[] given = new boolean[parameters.length];
        for (int i = 0; i < args.size(); i++) {
            raw[i] = args.get(i);
            given[i] = true;
        }
        for (Map.Entry<String, Object> kwarg : kwargs.entrySet()) {
            int index = indexOf(parameters, kwarg.getKey());
            if (index < 0) {
                throw new IllegalArgumentException("got an unexpected keyword argument '" + kwarg.getKey() + "'"
                        + (parameters.length > 0 && !parameters[0].isNamePresent() ? " (compiled without -parameters)" : ""));
            }
            if (given[index]) {
                throw new IllegalArgumentException("got multiple values for argument '" + kwarg.getKey() + "'");
            }
            raw[index] = kwarg.getValue();
            given[index] = true;
        }
        Object[] converted = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            if (!given[i] && parameters[i].getType() != Optional.class) {
                throw new IllegalArgumentException("missing argument '" + parameters[i].getName() + "'");
            }
            try {
                converted[i] = ValueConverter.convert(raw[i], parameters[i].getParameterizedType());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("argument '" + parameters[i].getName() + "': " + e.getMessage(), e);
            }
        }
        return converted;
    }

    private static int indexOf(Parameter[] parameters, String name) {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i].isNamePresent() && parameters[i].getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The {@link RpcName} of the method or of a method it implements, else its Java name. */
    static String remoteName(Method m) {
        RpcName name = m.getAnnotation(RpcName.class);
        if (name == null) {
            for (Class<?> iface : m.getDeclaringClass().getInterfaces()) {
                try {
                    name = iface.getMethod(m.getName(), m.getParameterTypes()).getAnnotation(RpcName.class);
                } catch (NoSuchMethodException e) {
                    continue;
                }
                if (name != null) {
                    break;
                }
            }
        }
        return name == null ? m.getName() : name.value();
    }

    /** Whether the served method, or the user class's method behind a proxy ({@code implemented}), carries it. */
    private static boolean marked(Method m, Method implemented, Class<? extends Annotation> annotation) {
        return isAnnotated(m, annotation) || isAnnotated(implemented, annotation);
    }

    /** Whether {@code annotation} is on the method itself or on a method it implements or overrides. */
    static boolean isAnnotated(Method m, Class<? extends Annotation> annotation) {
        if (m == null) {
            return false;
        }
        if (m.isAnnotationPresent(annotation)) {
            return true;
        }
        for (Class<?> type = m.getDeclaringClass(); type != null; type = type.getSuperclass()) {
            if (declares(type, m, annotation)) {
                return true;
            }
            for (Class<?> iface : type.getInterfaces()) {
                if (declares(iface, m, annotation)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean declares(Class<?> type, Method m, Class<? extends Annotation> annotation) {
        try {
            return type.getMethod(m.getName(), m.getParameterTypes()).isAnnotationPresent(annotation);
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
