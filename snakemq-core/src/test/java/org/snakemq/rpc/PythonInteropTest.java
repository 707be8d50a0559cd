package org.snakemq.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our encoder's output read back by python3's own pickle module (src/test/python/check_java_pickles.py),
 * which asserts the types the original snakemq.rpc relies on. Skipped, with a message, where there is no
 * python3.
 */
class PythonInteropTest {

    enum Choice { FIRST, SECOND }

    record Point(int x, double y, String name) {
    }

    @Test
    void pythonReadsOurPicklesWithTheRightTypes(@TempDir Path dir) throws Exception {
        String python = findPython();
        Assumptions.assumeTrue(python != null, "python3 not found on PATH: skipping the Python interop check");

        byte[] reqId = uuidBytes(UUID.randomUUID());
        Path request = dir.resolve("request.bin");
        Files.write(request, RpcCodec.encodeRequest(new RpcRequest(false, "obj", "method",
                List.of(new byte[] {0, (byte) 0x80, (byte) 0xff}, new byte[0], BigInteger.TWO.pow(70), -5, "h\u00e9llo \u20ac"),
                Map.of("flag", true), reqId)));

        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("point", new Point(1, -2.5, "p"));
        value.put("list", Arrays.asList(1, null, true));
        value.put("ints", new int[] {1, 2, 3});
        value.put("blob", all);
        value.put("nested", Map.of("k", List.of(Map.of("b", "v".getBytes(StandardCharsets.US_ASCII)))));
        value.put("set", Set.of(1, 2));
        value.put("enum", Choice.SECOND);
        Path valueReply = dir.resolve("value.bin");
        Files.write(valueReply, RpcCodec.encodeReturn(reqId, value));

        IllegalStateException error = new IllegalStateException("boom");
        Path exceptionReply = dir.resolve("exception.bin");
        Files.write(exceptionReply, RpcCodec.encodeException(reqId, PythonExceptions.toPython(error),
                PythonExceptions.format(error)));

        Path noInstance = dir.resolve("noinstance.bin");
        UnknownObjectException unknown = new UnknownObjectException("missing");
        Files.write(noInstance, RpcCodec.encodeException(reqId, PythonExceptions.toPython(unknown), List.of()));

        Path denied = dir.resolve("denied.bin");
        Files.write(denied, RpcCodec.encodeException(reqId,
                PythonExceptions.toPython(new CallDeniedException("mallory", "clock", "destroy")), List.of()));

        Path busy = dir.resolve("busy.bin");
        Files.write(busy, RpcCodec.encodeException(reqId,
                PythonExceptions.toPython(new ServerBusyException("RPC server busy: try again later")), List.of()));

        Path script = Path.of("src/test/python/check_java_pickles.py").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(python, script.toString(),
                request.toString(), valueReply.toString(), exceptionReply.toString(), noInstance.toString(),
                denied.toString(), busy.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).as("python3 output").contains("all checks passed");
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static String findPython() {
        for (String candidate : List.of("python3", "python")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import sys; sys.exit(0 if sys.version_info[0] == 3 else 1)")
                        .redirectErrorStream(true).start();
                if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return candidate;
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not installed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        System.err.println("PythonInteropTest: no python3 found, the interop check is skipped");
        return null;
    }

    static byte[] uuidBytes(UUID uuid) {
        return java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }
}
