package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Java values pickled by {@link RpcPickler}, unpickled, and converted back to their declared types. */
class ValueConverterTest {

    enum Color { RED, GREEN }

    record Item(String name, int count, Color color, byte[] data) {
    }

    record Order(long id, List<Item> items, Map<String, List<Integer>> tags, Optional<String> note,
                 Set<Color> colors, int[] sizes, Item[] extra) {
    }

    record Box<T>(T value, List<T> more) {
    }

    public static final class Person {
        private String name;
        private int age;
        private List<Item> items = new ArrayList<>();

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public int getAge() {
            return age;
        }

        public void setAge(int age) {
            this.age = age;
        }

        public List<Item> getItems() {
            return items;
        }

        public void setItems(List<Item> items) {
            this.items = items;
        }
    }

    // generic types are read from these fields
    List<Item> listOfItems;
    Map<String, List<Integer>> mapOfLists;
    Box<Item> boxOfItem;
    SortedMap<Integer, String> sortedMap;
    Optional<Item> optionalItem;

    @Test
    void recordWithGenericsRoundTrip() throws Exception {
        Map<String, List<Integer>> tags = new LinkedHashMap<>();
        tags.put("a", List.of(1, 2));
        tags.put("b", List.of());
        Order order = new Order(Long.MAX_VALUE, List.of(new Item("x", 2, Color.GREEN, new byte[] {1, (byte) 0xff})),
                tags, Optional.of("note"), Set.of(Color.RED), new int[] {3, 4}, new Item[] {new Item("y", 0, Color.RED, new byte[0])});

        Order back = (Order) roundTrip(order, Order.class);

        assertThat(back.id()).isEqualTo(Long.MAX_VALUE);
        assertThat(back.items()).hasSize(1);
        assertThat(back.items().get(0).name()).isEqualTo("x");
        assertThat(back.items().get(0).color()).isEqualTo(Color.GREEN);
        assertThat(back.items().get(0).data()).containsExactly(1, 0xff);
        assertThat(back.tags()).isEqualTo(tags);
        assertThat(back.note()).contains("note");
        assertThat(back.colors()).containsExactly(Color.RED);
        assertThat(back.sizes()).containsExactly(3, 4);
        assertThat(back.extra()[0].name()).isEqualTo("y");
        assertThat(back.extra()[0].data()).isEmpty();
    }

    @Test
    void genericContainersAndRecords() throws Exception {
        List<Item> items = List.of(new Item("a", 1, Color.RED, new byte[] {9}));
        @SuppressWarnings("unchecked")
        List<Item> backItems = (List<Item>) roundTrip(items, field("listOfItems"));
        assertThat(backItems.get(0)).isInstanceOf(Item.class);
        assertThat(backItems.get(0).count()).isEqualTo(1);

        Map<String, List<Integer>> map = Map.of("k", List.of(1, 2, 3));
        assertThat(roundTrip(map, field("mapOfLists"))).isEqualTo(map);

        Box<?> box = (Box<?>) roundTrip(new Box<>(items.get(0), items), field("boxOfItem"));
        assertThat(box.value()).isInstanceOf(Item.class);
        assertThat(box.more().get(0)).isInstanceOf(Item.class);

        Object sorted = roundTrip(new TreeMap<>(Map.of(2, "b", 1, "a")), field("sortedMap"));
        assertThat(sorted).isInstanceOf(TreeMap.class).isEqualTo(Map.of(1, "a", 2, "b"));

        assertThat(roundTrip(null, field("optionalItem"))).isEqualTo(Optional.empty());
    }

    @Test
    void beanRoundTrip() throws Exception {
        Person person = new Person();
        person.setName("Ann");
        person.setAge(41);
        person.setItems(List.of(new Item("i", 5, Color.RED, new byte[] {7})));
        Person back = (Person) roundTrip(person, Person.class);
        assertThat(back.getName()).isEqualTo("Ann");
        assertThat(back.getAge()).isEqualTo(41);
        assertThat(back.getItems().get(0).count()).isEqualTo(5);
    }

    @Test
    void scalars() throws Exception {
        assertThat(roundTrip(5, int.class)).isEqualTo(5);
        assertThat(roundTrip(5, long.class)).isEqualTo(5L);
        assertThat(roundTrip(5, double.class)).isEqualTo(5.0);
        assertThat(roundTrip(1.5f, float.class)).isEqualTo(1.5f);
        assertThat(roundTrip((short) -7, short.class)).isEqualTo((short) -7);
        assertThat(roundTrip((byte) -7, Byte.class)).isEqualTo((byte) -7);
        assertThat(roundTrip('c', char.class)).isEqualTo('c');
        assertThat(roundTrip(true, boolean.class)).isEqualTo(true);
        assertThat(roundTrip(BigInteger.TEN.pow(30), BigInteger.class)).isEqualTo(BigInteger.TEN.pow(30));
        UUID uuid = UUID.randomUUID();
        assertThat(roundTrip(uuid, UUID.class)).isEqualTo(uuid);
        Instant now = Instant.now();
        assertThat(roundTrip(now, Instant.class)).isEqualTo(now);
        assertThat(roundTrip(LocalDate.of(2024, 2, 29), LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(roundTrip(Duration.ofMillis(1500), Duration.class)).isEqualTo(Duration.ofMillis(1500));
        assertThat(roundTrip(Color.GREEN, Color.class)).isEqualTo(Color.GREEN);
        assertThat(roundTrip(List.of(1, List.of(2)), Object.class)).isEqualTo(List.of(1, List.of(2)));
    }

    @Test
    void mismatchesNameThePath() {
        assertThatThrownBy(() -> ValueConverter.convert(Long.MAX_VALUE, int.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit in Integer");
        assertThatThrownBy(() -> ValueConverter.convert(1.5, int.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot convert Double to Integer");
        assertThatThrownBy(() -> ValueConverter.convert(null, int.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("None");
        Map<String, Object> badItem = new LinkedHashMap<>();
        badItem.put("name", "x");
        badItem.put("count", "not a number");
        assertThatThrownBy(() -> ValueConverter.convert(List.of(badItem), field("listOfItems")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value[0].count");
        assertThatThrownBy(() -> ValueConverter.convert("BLUE", Color.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no constant BLUE");
        assertThatThrownBy(() -> ValueConverter.convert(new PyObject("m", "C", List.of(), null), String.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Python m.C");
    }

    @Test
    void unpicklableValuesAreRefusedClearly() {
        assertThatThrownBy(() -> RpcCodec.encodeReturn(new byte[16], new Object()))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("cannot pickle java.lang.Object");
        List<Object> loop = new ArrayList<>();
        loop.add(loop);
        assertThatThrownBy(() -> RpcCodec.encodeReturn(new byte[16], loop))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("recursive");
    }

    private static Object roundTrip(Object value, Type type) {
        byte[] data = RpcCodec.encodeReturn(new byte[16], value);
        return ValueConverter.convert(RpcCodec.decodeReply(data).value(), type);
    }

    private static Type field(String name) {
        try {
            return ValueConverterTest.class.getDeclaredField(name).getGenericType();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o == this;
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(listOfItems);
    }
}
