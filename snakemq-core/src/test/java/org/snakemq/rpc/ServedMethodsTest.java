package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * Which methods of a registered object a peer may call: the application's own, never those of
 * {@code Object}, of platform or framework types, of generated proxy classes, or container callbacks.
 * Each excluded kind is checked on a plain object, on a generated subclass named as CGLIB names them
 * and on a JDK proxy. (Real Spring proxies are checked in the starter's tests.)
 */
class ServedMethodsTest {

    /** Named like jakarta.annotation.PreDestroy: matched by simple name, the core has no jakarta. */
    @Retention(RetentionPolicy.RUNTIME)
    @interface PreDestroy {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @interface PostConstruct {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @interface Autowired {
    }

    public interface ClockApi {
        long now();

        default String zone() {
            return "UTC";
        }
    }

    /** A user base class: its public methods are the application's too. */
    public static class BaseClock {
        public String version() {
            return "1";
        }
    }

    /** The application's class: what it declares and inherits from BaseClock and ClockApi is served. */
    public static class Clock extends BaseClock implements ClockApi, AutoCloseable, Runnable, Consumer<String>,
            Comparable<Clock> {
        final List<String> ran = new CopyOnWriteArrayList<>();

        @Override
        public long now() {
            ran.add("now");
            return 42;
        }

        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public void close() {
            ran.add("close");
        }

        @Override
        public void run() {
            ran.add("run");
        }

        @Override
        public void accept(String s) {
            ran.add("accept");
        }

        @Override
        public int compareTo(Clock o) {
            return 0;
        }

        @Override
        public String toString() {
            return "clock";
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }

        @Override
        public int hashCode() {
            return 1;
        }

        @PreDestroy
        public void shutdown() {
            ran.add("shutdown");
        }

        @PostConstruct
        public void init() {
            ran.add("init");
        }

        @Autowired
        public void setRepository(Object repository) {
            ran.add("setRepository");
        }
    }

    /** What a CGLIB proxy looks like: a subclass named with $$ that overrides and adds public methods. */
    public static class Clock$$SpringCGLIB$$0 extends Clock {
        final List<String> advised = new CopyOnWriteArrayList<>();

        @Override
        public long now() {
            advised.add("now");
            return super.now();
        }

        @Override
        public void shutdown() { // the annotation of the overridden method still counts
            super.shutdown();
        }

        public void setCallbacks(Object[] callbacks) {
            advised.add("setCallbacks");
        }

        public int getAdvisorCount() {
            return 3;
        }

        public String toProxyConfigString() {
            return "proxy config";
        }
    }

    /** Every kind a peer must not reach, by the names it would call them. */
    private static final List<String> NEVER = List.of("equals", "hashCode", "toString", "getClass", "wait", "notify",
            "notifyAll", "clone", "finalize", "close", "run", "accept", "compareTo", "shutdown", "init",
            "setRepository", "setCallbacks", "getAdvisorCount", "toProxyConfigString");

    @Test
    void aPlainObjectServesItsOwnSuperclassAndInterfaceMethodsOnly() throws Throwable {
        Clock clock = new Clock();
        RemoteObject object = new RemoteObject("clock", clock);
        assertThat(object.methodNames()).containsExactlyInAnyOrder("now", "zone", "version", "add");
        assertRefused(object, NEVER);
        assertThat(object.invoke(object.bind("zone", List.of(), Map.of()))).isEqualTo("UTC");
        assertThat(clock.ran).isEmpty();
    }

    @Test
    void aGeneratedSubclassServesTheUserClassAndCallsGoThroughTheSubclass() throws Throwable {
        Clock$$SpringCGLIB$$0 proxy = new Clock$$SpringCGLIB$$0();
        RemoteObject object = new RemoteObject("clock", proxy);
        assertThat(object.methodNames()).containsExactlyInAnyOrder("now", "zone", "version", "add");
        assertRefused(object, NEVER);
        assertThat(object.invoke(object.bind("now", List.of(), Map.of()))).isEqualTo(42L);
        assertThat(proxy.advised).as("the proxy's override ran: its advice applies").containsExactly("now");
        assertThat(proxy.ran).containsExactly("now");
    }

    @Test
    void aJdkProxyServesItsApplicationInterfacesOnly() throws Throwable {
        List<String> handled = new CopyOnWriteArrayList<>();
        InvocationHandler handler = (p, method, args) -> {
            handled.add(method.getName());
            return switch (method.getName()) {
                case "now" -> 7L;
                case "zone" -> "CET";
                default -> null;
            };
        };
        Object proxy = Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ClockApi.class, AutoCloseable.class, Runnable.class}, handler);
        RemoteObject object = new RemoteObject("clock", proxy);
        assertThat(object.methodNames()).containsExactlyInAnyOrder("now", "zone");
        assertRefused(object, NEVER);
        assertRefused(object, List.of("newProxyInstance", "getInvocationHandler", "isProxyClass"));
        assertThat(object.invoke(object.bind("now", List.of(), Map.of()))).isEqualTo(7L);
        assertThat(handled).as("called through the proxy's handler").containsExactly("now");
    }

    /** A user class on a platform base class: the base class's public methods and setters are not served. */
    public static class Worker extends Thread {
        public int work(int n) {
            return n * 2;
        }

        @Override
        public void run() {
        }
    }

    @Test
    void publicMethodsInheritedFromAPlatformBaseClassAreNotServed() {
        RemoteObject object = new RemoteObject("worker", new Worker());
        assertThat(object.methodNames()).containsExactly("work");
        assertRefused(object, List.of("setName", "setDaemon", "setPriority", "setContextClassLoader",
                "setUncaughtExceptionHandler", "start", "interrupt", "run", "getName", "isAlive", "join"));
    }

    /** A generic platform interface implemented with a narrower parameter type is still a platform callback. */
    public static class Listener implements Consumer<Map<String, Object>> {
        @Override
        public void accept(Map<String, Object> event) {
        }

        public String ping() {
            return "pong";
        }
    }

    @Test
    void implementationsOfGenericPlatformInterfacesAreNotServed() {
        RemoteObject object = new RemoteObject("listener", new Listener());
        assertThat(object.methodNames()).containsExactly("ping");
        assertRefused(object, List.of("accept", "andThen"));
    }

    @Test
    void anExposedInterfaceRestrictsTheObjectToItsMethods() throws Throwable {
        Clock$$SpringCGLIB$$0 proxy = new Clock$$SpringCGLIB$$0();
        RemoteObject object = new RemoteObject("clock", proxy, ClockApi.class);
        assertThat(object.methodNames()).containsExactlyInAnyOrder("now", "zone");
        assertRefused(object, List.of("add", "version"));
        assertRefused(object, NEVER);
        assertThat(object.invoke(object.bind("now", List.of(), Map.of()))).isEqualTo(42L);
        assertThat(proxy.advised).containsExactly("now");

        Object jdk = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ClockApi.class, Runnable.class},
                (p, method, args) -> method.getName().equals("now") ? 1L : null);
        RemoteObject restricted = new RemoteObject("clock", jdk, ClockApi.class);
        assertThat(restricted.methodNames()).containsExactlyInAnyOrder("now", "zone");
    }

    @Test
    void anExposedPlatformInterfaceServesItsOwnMethodsAndNothingElse() throws Throwable {
        Clock clock = new Clock();
        RemoteObject object = new RemoteObject("task", clock, Runnable.class);
        assertThat(object.methodNames()).containsExactly("run");
        object.invoke(object.bind("run", List.of(), Map.of()));
        assertThat(clock.ran).containsExactly("run");
    }

    @Test
    void anExposedTypeTheObjectDoesNotHaveIsRefusedAtRegistration() {
        assertThatThrownBy(() -> new RemoteObject("clock", new Worker(), ClockApi.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a")
                .hasMessageContaining(ClockApi.class.getName());
    }

    @Test
    void anExposedUserClassServesThatClass() {
        RemoteObject object = new RemoteObject("clock", new Clock$$SpringCGLIB$$0(), BaseClock.class);
        assertThat(object.methodNames()).containsExactly("version");
    }

    public interface Echo {
        int echo(int a, int b);
    }

    @Test
    void lambdasAndAnonymousClassesServeWhatTheyImplement() throws Throwable {
        RemoteObject lambda = new RemoteObject("echo", (Echo) Integer::sum);
        assertThat(lambda.methodNames()).containsExactly("echo");
        assertThat(lambda.invoke(lambda.bind("echo", List.of(2, 3), Map.of()))).isEqualTo(5);

        RemoteObject anonymous = new RemoteObject("counter", new Object() {
            public int next() {
                return 1;
            }
        });
        assertThat(anonymous.methodNames()).containsExactly("next");
    }

    @Test
    void platformObjectsServeNothing() {
        assertThat(new RemoteObject("list", new java.util.ArrayList<String>()).methodNames()).isEmpty();
        assertThat(new RemoteObject("runtime", Runtime.getRuntime()).methodNames()).isEmpty();
    }

    private static void assertRefused(RemoteObject object, List<String> names) {
        for (String name : names) {
            assertThatThrownBy(() -> object.bind(name, List.of(), Map.of()), name)
                    .isInstanceOf(UnknownMethodException.class);
            assertThatThrownBy(() -> object.bind(name, List.of("x"), Map.of()), name)
                    .isInstanceOf(UnknownMethodException.class);
        }
    }
}
