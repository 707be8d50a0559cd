package org.snakemq.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleTracer;

import org.snakemq.messaging.ReceiveHook;
import org.snakemq.rpc.RpcClient;
import org.snakemq.rpc.RpcClientInterceptor;
import org.snakemq.rpc.RpcServer;
import org.snakemq.rpc.RpcServerInterceptor;
import org.snakemq.spring.observation.ObservationRpcClientInterceptor;
import org.snakemq.spring.observation.ObservationRpcServerInterceptor;
import org.snakemq.spring.observation.PeerTagLimit;

/**
 * What the RPC observations cost a synchronous call between two peers on loopback in one JVM: rounds
 * of calls without interceptors, with the observations timed (Micrometer's meter handler), and timed
 * and traced (the test tracer, with a propagator that writes a traceparent-sized header), alternated
 * so that a loaded machine affects each alike. Prints the median microseconds per call of each.
 *
 * <pre>
 * ./mvnw -q -B -ntp -pl snakemq-spring-boot-starter -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * cd snakemq-spring-boot-starter
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) org.snakemq.autoconfigure.ObservationOverheadBenchmark
 * </pre>
 * Optional arguments: calls per round (default 5000), rounds (default 5).
 */
public final class ObservationOverheadBenchmark {

    public interface Echo {
        int add(int a, int b);
    }

    public static final class EchoImpl implements Echo {
        @Override
        public int add(int a, int b) {
            return a + b;
        }
    }

    private ObservationOverheadBenchmark() {
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (CorePeer bob = new CorePeer("bob"); CorePeer alice = new CorePeer("alice")) {
            int port = bob.listen();
            alice.connectTo(port, null);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!alice.messaging.isConnected("bob") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            RpcServer server = new RpcServer(new ReceiveHook(bob.messaging));
            RpcClient client = new RpcClient(new ReceiveHook(alice.messaging));
            server.register("echo", new EchoImpl(), Echo.class);
            Echo echo = client.proxy("bob", "echo", Echo.class);

            ObservationRegistry timed = ObservationRegistry.create();
            timed.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
            ObservationRegistry traced = ObservationRegistry.create();
            traced.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
            SimpleTracer tracer = new SimpleTracer();
            Propagator propagator = new FixedPropagator();
            traced.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                    new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                    new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                    new DefaultTracingObservationHandler(tracer)));

            String[] names = {"none", "timed", "timed+traced"};
            List<List<Double>> results = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            run(echo, calls); // warm-up
            for (int round = 0; round < rounds; round++) {
                for (int variant = 0; variant < names.length; variant++) {
                    ObservationRegistry registry = variant == 1 ? timed : variant == 2 ? traced : null;
                    PeerTagLimit peers = new PeerTagLimit(20);
                    client.setInterceptor(registry == null ? RpcClientInterceptor.NONE
                            : new ObservationRpcClientInterceptor(registry, null, peers));
                    server.setInterceptor(registry == null ? RpcServerInterceptor.NONE
                            : new ObservationRpcServerInterceptor(registry, null, peers));
                    tracer.getSpans().clear();
                    results.get(variant).add(run(echo, calls));
                }
            }
            for (int variant = 0; variant < names.length; variant++) {
                double[] values = results.get(variant).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf("%-13s median %.1f us/call (rounds: %s)%n", names[variant], values[values.length / 2],
                        Arrays.toString(results.get(variant).stream().mapToLong(Math::round).toArray()));
            }
            client.close();
            server.close();
        }
    }

    /** Microseconds per call over {@code calls} synchronous calls. */
    private static double run(Echo echo, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            if (echo.add(i, 1) != i + 1) {
                throw new IllegalStateException("wrong result");
            }
        }
        return (System.nanoTime() - start) / 1_000.0 / calls;
    }

    /** Writes a W3C traceparent-sized header and reads the parent back, like a real propagator would. */
    private static final class FixedPropagator implements Propagator {
        @Override
        public List<String> fields() {
            return List.of("traceparent");
        }

        @Override
        public <C> void inject(io.micrometer.tracing.TraceContext context, C carrier, Setter<C> setter) {
            setter.set(carrier, "traceparent", "00-" + pad(context.traceId(), 32) + "-" + pad(context.spanId(), 16) + "-01");
        }

        @Override
        public <C> io.micrometer.tracing.Span.Builder extract(C carrier, Getter<C> getter) {
            getter.get(carrier, "traceparent");
            return new SimpleTracer().spanBuilder();
        }

        private static String pad(String id, int length) {
            return "0".repeat(Math.max(0, length - id.length())) + id;
        }
    }
}
