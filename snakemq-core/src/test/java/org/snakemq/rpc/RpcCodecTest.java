package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RpcCodecTest {

    private static final byte[] REQ_ID = new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, (byte) 0x80, (byte) 0xfe, (byte) 0xff};

    @Test
    void requestRoundTripKeepsEveryField() {
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("flag", true);
        byte[] data = RpcCodec.encodeRequest(new RpcRequest(false, "myinstance", "get_fo",
                List.of(1, "two", new byte[] {(byte) 0xff}), kwargs, REQ_ID));

        assertThat(new String(data, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("rpcreq");
        assertThat(data[6] & 0xff).as("PROTO opcode").isEqualTo(0x80);
        assertThat(data[7]).as("protocol 2").isEqualTo((byte) 2);
        RpcRequest decoded = RpcCodec.decodeRequest(data);
        assertThat(decoded.signal()).isFalse();
        assertThat(decoded.object()).isEqualTo("myinstance");
        assertThat(decoded.method()).isEqualTo("get_fo");
        assertThat(decoded.args()).hasSize(3);
        assertThat(decoded.args().get(0)).isEqualTo(1);
        assertThat(decoded.args().get(1)).isEqualTo("two");
        assertThat((byte[]) decoded.args().get(2)).containsExactly((byte) 0xff);
        assertThat(decoded.kwargs()).containsEntry("flag", true);
        assertThat(decoded.reqId()).containsExactly(REQ_ID);
    }

    @Test
    void signalHasNoRequestId() {
        byte[] data = RpcCodec.encodeRequest(new RpcRequest(true, "o", "m", List.of(), Map.of(), null));
        RpcRequest decoded = RpcCodec.decodeRequest(data);
        assertThat(decoded.signal()).isTrue();
        assertThat(decoded.reqId()).isNull();
        assertThat(ascii(data)).doesNotContain("req_id");
    }

    @Test
    void bytesAreWrittenAsPythonThreeWritesBytesNotAsBytearray() {
        String text = ascii(RpcCodec.encodeReturn(REQ_ID, List.of(new byte[] {1, 2}, new byte[0])));
        assertThat(text).contains("c_codecs\nencode\n").contains("latin1")
                .contains("c__builtin__\nbytes\n")
                .doesNotContain("bytearray");
    }

    @Test
    void returnValueRoundTrip() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("big", new java.math.BigInteger("1267650600228229401496703205377"));
        value.put("long", Long.MIN_VALUE);
        value.put("float", 3.25);
        value.put("none", null);
        value.put("list", List.of(1, "a"));
        value.put("ints", new int[] {1, 2});
        RpcReply reply = RpcCodec.decodeReply(RpcCodec.encodeReturn(REQ_ID, value));
        assertThat(reply.ok()).isTrue();
        assertThat(reply.reqId()).containsExactly(REQ_ID);
        Map<?, ?> back = (Map<?, ?>) reply.value();
        assertThat(back.get("big")).isEqualTo(new java.math.BigInteger("1267650600228229401496703205377"));
        assertThat(back.get("long")).isEqualTo(Long.MIN_VALUE);
        assertThat(back.get("float")).isEqualTo(3.25);
        assertThat(back.containsKey("none")).isTrue();
        assertThat(back.get("list")).isEqualTo(List.of(1, "a"));
        assertThat(back.get("ints")).isEqualTo(List.of(1, 2));
    }

    @Test
    void javaExceptionGoesAsRuntimeErrorAndComesBackAsRemoteException() {
        IllegalStateException error = new IllegalStateException("boom");
        byte[] data = RpcCodec.encodeException(REQ_ID, PythonExceptions.toPython(error), PythonExceptions.format(error));
        assertThat(ascii(data)).contains("cexceptions\nRuntimeError\n");

        RpcReply reply = RpcCodec.decodeReply(data);
        assertThat(reply.ok()).isFalse();
        RemoteException remote = reply.error();
        assertThat(remote.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
        assertThat(remote.remoteMessage()).isEqualTo("boom");
        assertThat(remote.remoteTraceback()).startsWith("java.lang.IllegalStateException: boom")
                .contains("javaExceptionGoesAsRuntimeErrorAndComesBackAsRemoteException");
        assertThat(remote.getCause()).isInstanceOf(RemoteException.RemoteTraceback.class);
        assertThat(remote.getMessage()).isEqualTo("java.lang.IllegalStateException: boom");
    }

    @Test
    void unknownGlobalsBecomeInertPlaceholders() throws Exception {
        // os.system("echo pwned!") and java.lang.Runtime, as a hostile peer would send them
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes("rpcrep".getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {(byte) 0x80, 2});
        p.writeBytes("}(X\u0002\u0000\u0000\u0000ok\u0088X\u0006\u0000\u0000\u0000return".getBytes(StandardCharsets.ISO_8859_1));
        p.writeBytes("cos\nsystem\nX\u000b\u0000\u0000\u0000echo pwned!\u0085R".getBytes(StandardCharsets.ISO_8859_1));
        p.writeBytes("X\u0006\u0000\u0000\u0000req_idC\u0001\u0007u.".getBytes(StandardCharsets.ISO_8859_1));
        RpcReply reply = RpcCodec.decodeReply(p.toByteArray());
        assertThat(reply.value()).isEqualTo(new PyObject("os", "system", List.of("echo pwned!"), null));

        byte[] runtime = "rpcreq\u0080\u0002cjava.lang\nRuntime\n)R.".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RpcCodec.decodeRequest(runtime))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("not a dict");
    }

    static Stream<Arguments> refusedFrames() {
        return Stream.of(
                Arguments.of("BUILD on anything but a placeholder", "rpcrep\u0080\u0002}}b.", "BUILD"),
                Arguments.of("a huge 8-byte length prefix, without allocating",
                        "rpcreq\u0080\u0004\u008e\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u0007x.", "exceeds"),
                Arguments.of("a huge 4-byte length prefix, without allocating",
                        "rpcreq\u0080\u0002X\u00ff\u00ff\u00ff\u007fx.", "exceeds"),
                Arguments.of("persistent ids", "rpcreq\u0080\u0002Pfoo\n.", "persistent"));
    }

    /** A request ({@code rpcreq}) or reply ({@code rpcrep}) frame, as ISO-8859-1, that decoding refuses. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFrames")
    void hostileFramesAreRefused(String what, String frame, String reason) {
        byte[] data = frame.getBytes(StandardCharsets.ISO_8859_1);
        boolean reply = frame.startsWith("rpcrep");
        assertThatThrownBy(() -> {
            if (reply) {
                RpcCodec.decodeReply(data);
            } else {
                RpcCodec.decodeRequest(data);
            }
        }).isInstanceOf(RpcProtocolException.class).hasMessageContaining(reason);
    }

    @Test
    void deeplyNestedHostileValuesFailCleanly() {
        // a set whose member is a list nested 100,000 deep: hashing it recurses
        StringBuilder pickle = new StringBuilder("rpcrep\u0080\u0004\u008f(");
        pickle.append("]".repeat(100_000));
        pickle.append("a".repeat(99_999));
        pickle.append("\u0090.");
        byte[] data = pickle.toString().getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> RpcCodec.decodeReply(data)).isInstanceOf(RpcProtocolException.class);

        Object deep = List.of();
        for (int i = 0; i < 10_000; i++) {
            deep = List.of(deep);
        }
        Object value = deep;
        assertThatThrownBy(() -> ValueConverter.convert(value, java.util.List.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> ValueConverter.convert(value, Object.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper");
    }

    @Test
    void randomAndTruncatedInputGivesProtocolErrorsOnly() {
        byte[] valid = RpcCodec.encodeRequest(new RpcRequest(false, "o", "m", List.of(1, "x"), Map.of(), REQ_ID));
        for (int cut = 6; cut < valid.length; cut++) {
            byte[] truncated = Arrays.copyOf(valid, cut);
            assertThatThrownBy(() -> RpcCodec.decodeRequest(truncated)).isInstanceOf(RpcProtocolException.class);
        }
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[6 + random.nextInt(40)];
            random.nextBytes(junk);
            System.arraycopy("rpcreq".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 6);
            try {
                RpcCodec.decodeRequest(junk);
            } catch (RpcProtocolException expected) {
                // the only failure allowed
            }
        }
    }

    @Test
    void missingFieldsAreReportedAndRequestIdCanBeSalvaged() {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("command", "call");
        dict.put("object", 5);
        dict.put("req_id", REQ_ID);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new RpcPickler().dump("rpcreq".getBytes(StandardCharsets.US_ASCII), dict, out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> RpcCodec.decodeRequest(out.toByteArray()))
                .isInstanceOf(RpcProtocolException.class).hasMessageContaining("'object' must be a str");
        assertThat(RpcCodec.salvageReqId(out.toByteArray())).containsExactly(REQ_ID);
    }

    private static String ascii(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1);
    }
}
