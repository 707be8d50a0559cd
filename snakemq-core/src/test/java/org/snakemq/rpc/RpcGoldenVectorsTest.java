package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads pickles written by Python 3's own pickle module (src/test/python/make_rpc_vectors.py, committed
 * under src/test/resources/rpc-vectors) for every protocol the original may use.
 */
class RpcGoldenVectorsTest {

    private static final byte[] REQ_ID = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {2, 3, 4, 5})
    void request(int protocol) throws IOException {
        RpcRequest request = RpcCodec.decodeRequest(vector("request", protocol));
        assertThat(request.signal()).isFalse();
        assertThat(request.object()).isEqualTo("myinstance");
        assertThat(request.method()).isEqualTo("get_fo");
        assertThat(request.reqId()).containsExactly(REQ_ID);
        assertThat(request.args()).hasSize(4);
        assertThat(request.args().get(0)).isEqualTo(1);
        assertThat(request.args().get(1)).isEqualTo("two");
        assertThat((byte[]) request.args().get(2)).containsExactly(0, 1, 0xfe, 0xff);
        assertThat(request.args().get(3)).isNull();
        assertThat(request.kwargs()).containsOnly(Map.entry("flag", true), Map.entry("ratio", 0.5));
    }

    /** The reply in the vector file, for request {@link #REQ_ID}, a value ({@code ok}) or an exception. */
    private static RpcReply reply(String name, int protocol, boolean ok) throws IOException {
        RpcReply reply = RpcCodec.decodeReply(vector(name, protocol));
        assertThat(reply.ok()).isEqualTo(ok);
        assertThat(reply.reqId()).containsExactly(REQ_ID);
        return reply;
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {2, 3, 4, 5})
    void replyWithValue(int protocol) throws IOException {
        Map<?, ?> value = (Map<?, ?>) reply("reply-value", protocol, true).value();
        assertThat(value.get("small")).isEqualTo(7);
        assertThat(value.get("negative")).isEqualTo(-300);
        assertThat(value.get("int32")).isEqualTo(Integer.MAX_VALUE);
        assertThat(value.get("int64")).isEqualTo(Long.MIN_VALUE);
        assertThat(value.get("big")).isEqualTo(BigInteger.TWO.pow(100).add(BigInteger.ONE));
        assertThat(value.get("float")).isEqualTo(3.25);
        assertThat(value.get("text")).isEqualTo("h\u00e9llo \u20ac");
        assertThat((byte[]) value.get("bytes")).containsExactly(0, 0x80, 0xff, ' ', 'r', 'a', 'w');
        assertThat((byte[]) value.get("empty_bytes")).isEmpty();
        assertThat(value.containsKey("none")).isTrue();
        assertThat(value.get("none")).isNull();
        assertThat(value.get("yes")).isEqualTo(true);
        assertThat(value.get("no")).isEqualTo(false);
        assertThat(value.get("list")).isEqualTo(java.util.Arrays.asList(1, "a", null));
        assertThat((Object[]) value.get("tuple")).containsExactly(1, 2.5, "x");
        Map<?, ?> nested = (Map<?, ?>) value.get("nested");
        Map<?, ?> inner = (Map<?, ?>) ((List<?>) nested.get("inner")).get(0);
        assertThat((byte[]) ((Object[]) inner.get("k"))[0]).containsExactly('v');
        assertThat(nested.get("n")).isEqualTo(List.of(List.of(1, 2), List.of(3)));
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {2, 3, 4, 5})
    void replyWithException(int protocol) throws IOException {
        RemoteException error = reply("reply-exception", protocol, false).error();
        assertThat(error.remoteClassName()).isEqualTo("builtins.ValueError");
        assertThat(error.remoteMessage()).isEqualTo("bad value 42");
        assertThat(error.remoteArgs()).containsExactly("bad value 42");
        assertThat(error.remoteTraceback())
                .isEqualTo("Traceback (most recent call last):\n"
                        + "  File \"remote_module.py\", line 2, in raiser\n"
                        + "ValueError: bad value 42\n");
        assertThat(error.getCause()).hasMessageContaining("remote_module.py");
    }

    private static byte[] vector(String name, int protocol) throws IOException {
        String path = "/rpc-vectors/" + name + "-p" + protocol + ".bin";
        try (InputStream in = RpcGoldenVectorsTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        }
    }
}
