package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Method lookup and argument binding of a registered object, without the network. */
class RemoteObjectTest {

    interface Api {
        @RpcSignal
        void ping(String text);
    }

    public static final class Target implements Api {
        public String greet(String name, int times, Optional<String> suffix) {
            return (name + " ").repeat(times).trim() + suffix.orElse("");
        }

        public int add(int a, int b) {
            return a + b;
        }

        public String add(String a, String b) {
            return a + b;
        }

        @Override
        public void ping(String text) {
        }
    }

    private final RemoteObject object = new RemoteObject("t", new Target());

    @Test
    void bindsPositionalAndKeywordArguments() throws Throwable {
        RemoteObject.Invocation call = object.bind("greet", List.of("hi"), Map.of("times", 2L, "suffix", "!"));
        assertThat(object.invoke(call)).isEqualTo("hi hi!");
        assertThat(call.signal()).isFalse();
    }

    @Test
    void missingOptionalParameterIsEmpty() throws Throwable {
        assertThat(object.invoke(object.bind("greet", List.of("a", 1), Map.of()))).isEqualTo("a");
    }

    @Test
    void overloadsAreChosenByConvertibleArguments() throws Throwable {
        assertThat(object.invoke(object.bind("add", List.of(2, 3), Map.of()))).isEqualTo(5);
        assertThat(object.invoke(object.bind("add", List.of("a", "b"), Map.of()))).isEqualTo("ab");
    }

    @Test
    void signalAnnotationOnTheInterfaceCounts() {
        assertThat(object.bind("ping", List.of("x"), Map.of()).signal()).isTrue();
    }

    @Test
    void errorsAreSpecific() {
        assertThatThrownBy(() -> object.bind("nope", List.of(), Map.of())).isInstanceOf(UnknownMethodException.class);
        assertThatThrownBy(() -> object.bind("wait", List.of(), Map.of())).isInstanceOf(UnknownMethodException.class);
        assertThatThrownBy(() -> object.bind("add", List.of(1, 2, 3), Map.of()))
                .isInstanceOf(ArgumentMismatchException.class).hasMessageContaining("3 were given");
        assertThatThrownBy(() -> object.bind("greet", List.of("a"), Map.of()))
                .isInstanceOf(ArgumentMismatchException.class).hasMessageContaining("missing argument 'times'");
        assertThatThrownBy(() -> object.bind("greet", List.of("a", 1), Map.of("name", "b")))
                .isInstanceOf(ArgumentMismatchException.class).hasMessageContaining("multiple values for argument 'name'");
        assertThatThrownBy(() -> object.bind("greet", List.of("a", 1), Map.of("colour", "b")))
                .isInstanceOf(ArgumentMismatchException.class).hasMessageContaining("unexpected keyword argument 'colour'");
        assertThatThrownBy(() -> object.bind("greet", List.of("a", "many"), Map.of()))
                .isInstanceOf(ArgumentMismatchException.class).hasMessageContaining("argument 'times'");
    }
}
