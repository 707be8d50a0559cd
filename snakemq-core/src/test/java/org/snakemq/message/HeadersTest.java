package org.snakemq.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void keepsOrderAndReplacesInPlace() {
        Headers headers = Headers.of("a", "1").with("b", "2").with("a", "3");

        assertThat(headers.asMap()).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
        assertThat(headers.get("a")).isEqualTo("3");
        assertThat(headers.get("missing")).isNull();
        assertThat(headers.without("a").asMap()).containsExactly(Map.entry("b", "2"));
        assertThat(headers.without("a").without("b")).isSameAs(Headers.EMPTY);
    }

    @Test
    void encodedSizeCountsLengthsAndUtf8Bytes() {
        assertThat(Headers.of("k", "é").encodedSize()).isEqualTo(4 + 1 + 2);
        assertThat(Headers.EMPTY.encodedSize()).isZero();
    }

    @Test
    void refusesMoreThanTheCountLimit() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i <= Headers.MAX_COUNT; i++) {
            map.put("h" + i, "v");
        }
        assertThatThrownBy(() -> Headers.of(map))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too many headers: 65");
    }

    @Test
    void refusesABlockLargerThanTheByteLimit() {
        assertThatThrownBy(() -> Headers.of("big", "x".repeat(Headers.MAX_ENCODED_BYTES)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than " + Headers.MAX_ENCODED_BYTES + " bytes");
    }

    @Test
    void refusesEmptyNamesAndUnpairedSurrogates() {
        assertThatThrownBy(() -> Headers.of("", "v")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Headers.of("k", "\uD800")).hasMessageContaining("not encodable as UTF-8");
    }

    @Test
    void messagesCompareTheirHeaders() {
        Message plain = Message.of("x");
        Message tagged = plain.withHeader("content-type", "text/plain");

        assertThat(plain.headers()).isSameAs(Headers.EMPTY);
        assertThat(tagged).isNotEqualTo(plain);
        assertThat(tagged.withTtl(null).headers().get("content-type")).isEqualTo("text/plain");
    }
}
