package org.snakemq.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import org.snakemq.rpc.RpcName;
import org.snakemq.rpc.RpcSignal;

/** The object {@code rpc serve} offers as {@code demo}. Methods run on the RPC server's workers. */
public final class DemoObject {

    private final Console console;

    DemoObject(Console console) {
        this.console = console;
    }

    /** Returns its argument. */
    public Object echo(Object x) {
        return x;
    }

    /** Numbers add (integers exactly), strings and lists concatenate, as Python's {@code a + b}. */
    public Object add(Object a, Object b) {
        if (isInteger(a) && isInteger(b)) {
            BigInteger sum = integer(a).add(integer(b));
            return sum.bitLength() < 64 ? (Object) sum.longValue() : sum;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() + y.doubleValue();
        }
        if (a instanceof String x && b instanceof String y) {
            return x + y;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> joined = new ArrayList<>(x);
            joined.addAll(y);
            return joined;
        }
        throw new IllegalArgumentException("cannot add " + typeName(a) + " and " + typeName(b));
    }

    /** Raises an exception with this message. */
    public Object fail(String message) {
        throw new RuntimeException(message);
    }

    /** Sleeps, then returns null. */
    public Object sleep(double seconds) throws InterruptedException {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("seconds must not be negative");
        }
        Thread.sleep((long) (seconds * 1000));
        return null;
    }

    /** A signal: prints {@code SIGNAL notify <x as JSON>}. */
    @RpcSignal
    @RpcName("notify")
    public void notifySignal(Object x) {
        console.out("SIGNAL notify " + JsonValues.print(x));
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte;
    }

    private static BigInteger integer(Object value) {
        return value instanceof BigInteger b ? b : BigInteger.valueOf(((Number) value).longValue());
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
