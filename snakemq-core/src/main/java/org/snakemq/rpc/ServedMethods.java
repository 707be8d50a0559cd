package org.snakemq.rpc;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which methods of a registered object a peer may call: the public methods the application
 * wrote, never those of the framework around it.
 *
 * <p>The served type is the user's class behind any proxy: the superclass of a generated subclass
 * (CGLIB and the like: {@code $$} in the class name, or a proxy marker interface), the interfaces of a
 * JDK proxy, else the object's own class. Of its public instance methods (declared by it, its
 * superclasses and its interfaces) these are left out:
 * <ul>
 * <li>methods of {@code Object}, and methods of the same name;</li>
 * <li>methods declared in a framework or platform type ({@link #FRAMEWORK_PACKAGES}) and every method
 *     that overrides or implements one, such as {@code DisposableBean.destroy}, the {@code *Aware}
 *     setters, {@code Lifecycle.stop}, {@code AutoCloseable.close}, AOP's {@code Advised} methods;</li>
 * <li>methods annotated {@code @PreDestroy}, {@code @PostConstruct}, {@code @Autowired} or
 *     {@code @Inject} (matched by the annotation's simple name, on the method or on a method it
 *     overrides), which are container callbacks.</li>
 * </ul>
 * With an explicit interface only that interface's methods are served (its own methods even when it is
 * a platform interface such as {@code Runnable}), under the same exclusions otherwise.
 *
 * <p>The methods returned are invoked on the registered object itself, so a proxy still applies its
 * advice (transactions, method security, {@code @Async}).
 */
final class ServedMethods {

    /** Packages whose types are framework or platform, never application code. */
    static final List<String> FRAMEWORK_PACKAGES = List.of("java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.",
            "org.springframework.", "org.aopalliance.", "org.aspectj.", "net.sf.cglib.", "net.bytebuddy.",
            "kotlin.", "groovy.", "scala.");

    /** Names every object has; left out whatever their parameters, as before. */
    private static final Set<String> OBJECT_NAMES = Set.of("equals", "hashCode", "toString", "getClass", "wait",
            "notify", "notifyAll", "clone", "finalize");

    /** Simple names of annotations that mark container callbacks. */
    private static final Set<String> CALLBACK_ANNOTATIONS = Set.of("PreDestroy", "PostConstruct", "Autowired", "Inject");

    /** Interfaces that only generated proxy classes implement. */
    private static final Set<String> PROXY_MARKERS = Set.of("org.springframework.aop.SpringProxy",
            "org.springframework.cglib.proxy.Factory", "net.sf.cglib.proxy.Factory");

    private ServedMethods() {
    }

    /**
     * @param target the registered object
     * @param served null to serve the user class behind {@code target}; an interface to serve only that
     *               interface's methods; a class to serve that class's methods (Spring's user class of
     *               the bean, for example)
     * @return the callable methods, in a stable order
     * @throws IllegalArgumentException {@code target} is not an instance of {@code served}
     */
    static List<Method> of(Object target, Class<?> served) {
        Class<?> runtime = target.getClass();
        if (served != null && !served.isInstance(target)) {
            throw new IllegalArgumentException(runtime.getName() + " is not a " + served.getName());
        }
        if (served != null && !served.isInterface() && Proxy.isProxyClass(runtime)) {
            served = null; // a JDK proxy's only classes are itself, Proxy and Object: serve its interfaces
        }
        // where overridden framework methods and callback annotations are looked for
        List<Class<?>> context = new ArrayList<>();
        List<Class<?>> roots = new ArrayList<>();
        Set<Class<?>> ownFrameworkTypes = Set.of();
        if (served != null && served.isInterface()) {
            roots.add(served);
            context.add(served);
            if (isFramework(served)) {
                ownFrameworkTypes = Set.of(served);
            }
            if (!Proxy.isProxyClass(runtime)) {
                context.add(userClass(runtime));
            }
        } else if (served == null && Proxy.isProxyClass(runtime)) {
            for (Class<?> iface : runtime.getInterfaces()) {
                if (!isFramework(iface)) {
                    roots.add(iface);
                    context.add(iface);
                }
            }
        } else {
            Class<?> user = userClass(served != null ? served : runtime);
            roots.add(user);
            context.add(user);
        }
        List<Class<?>> frameworkTypes = new ArrayList<>();
        frameworkTypes.add(Object.class);
        for (Class<?> type : supertypes(context)) {
            if (isFramework(type) && !ownFrameworkTypes.contains(type)) {
                frameworkTypes.add(type);
            }
        }
        Map<String, Method> bySignature = new LinkedHashMap<>();
        for (Class<?> root : roots) {
            Method[] methods = root.getMethods();
            Arrays.sort(methods, (a, b) -> signature(a).compareTo(signature(b)));
            for (Method m : methods) {
                if (isServed(m, ownFrameworkTypes, frameworkTypes, context)) {
                    bySignature.putIfAbsent(signature(m), m);
                }
            }
        }
        return List.copyOf(bySignature.values());
    }

    /** The class the application wrote behind a generated subclass; the type itself otherwise. */
    static Class<?> userClass(Class<?> type) {
        Class<?> current = type;
        while (isGeneratedSubclass(current)) {
            Class<?> parent = current.getSuperclass();
            if (parent == null || parent == Object.class) {
                break; // a lambda's class, for example: it is the code the user wrote
            }
            current = parent;
        }
        return current;
    }

    static boolean isFramework(Class<?> type) {
        String name = type.getName();
        for (String prefix : FRAMEWORK_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isGeneratedSubclass(Class<?> type) {
        if (type.getName().contains("$$")) {
            return true;
        }
        for (Class<?> iface : type.getInterfaces()) {
            if (PROXY_MARKERS.contains(iface.getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isServed(Method m, Set<Class<?>> ownFrameworkTypes, List<Class<?>> frameworkTypes,
                                    List<Class<?>> context) {
        int modifiers = m.getModifiers();
        if (Modifier.isStatic(modifiers) || !Modifier.isPublic(modifiers) || m.isBridge() || m.isSynthetic()
                || OBJECT_NAMES.contains(m.getName())) {
            return false;
        }
        Class<?> declaring = m.getDeclaringClass();
        if (declaring == Object.class || (isFramework(declaring) && !ownFrameworkTypes.contains(declaring))) {
            return false;
        }
        for (Class<?> type : frameworkTypes) {
            if (declaresOverridable(type, m)) {
                return false;
            }
        }
        return !hasCallbackAnnotation(m, context);
    }

    /**
     * Whether {@code type} declares a method that {@code m} overrides or implements: same name and
     * number of parameters, each of {@code m}'s parameter types assignable to the declared one (a
     * generic parameter erases to a supertype, as in {@code ApplicationListener<E>.onApplicationEvent}).
     * Errs on the side of leaving a method out.
     */
    private static boolean declaresOverridable(Class<?> type, Method m) {
        Class<?>[] params = m.getParameterTypes();
        for (Method candidate : type.getDeclaredMethods()) {
            int modifiers = candidate.getModifiers();
            if (Modifier.isStatic(modifiers) || Modifier.isPrivate(modifiers)
                    || !candidate.getName().equals(m.getName()) || candidate.getParameterCount() != params.length) {
                continue;
            }
            Class<?>[] declared = candidate.getParameterTypes();
            boolean assignable = true;
            for (int i = 0; i < params.length && assignable; i++) {
                assignable = declared[i].isAssignableFrom(params[i]);
            }
            if (assignable) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCallbackAnnotation(Method m, List<Class<?>> context) {
        if (hasCallbackAnnotation(m)) {
            return true;
        }
        List<Class<?>> types = new ArrayList<>(supertypes(context));
        types.add(m.getDeclaringClass());
        for (Class<?> type : types) {
            try {
                if (hasCallbackAnnotation(type.getDeclaredMethod(m.getName(), m.getParameterTypes()))) {
                    return true;
                }
            } catch (NoSuchMethodException e) {
                // not declared there
            }
        }
        return false;
    }

    private static boolean hasCallbackAnnotation(Method m) {
        for (Annotation annotation : m.getDeclaredAnnotations()) {
            if (CALLBACK_ANNOTATIONS.contains(annotation.annotationType().getSimpleName())) {
                return true;
            }
        }
        return false;
    }

    /** The types themselves, their superclasses and all their interfaces. */
    private static Set<Class<?>> supertypes(List<Class<?>> types) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(types);
        while (!todo.isEmpty()) {
            Class<?> type = todo.removeFirst();
            if (!seen.add(type)) {
                continue;
            }
            if (type.getSuperclass() != null) {
                todo.addLast(type.getSuperclass());
            }
            todo.addAll(Arrays.asList(type.getInterfaces()));
        }
        return seen;
    }

    private static String signature(Method m) {
        StringBuilder text = new StringBuilder(m.getName()).append('(');
        for (Class<?> param : m.getParameterTypes()) {
            text.append(param.getName()).append(',');
        }
        return text.append(')').toString();
    }
}
