package org.snakemq.it.tracing;

import java.util.List;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleTracer;

/** Carries a SimpleTracer's trace and span id in one header, as a real propagator carries W3C traceparent. */
final class TestPropagator implements Propagator {

    static final String HEADER = "x-test-trace";

    private final SimpleTracer tracer;

    TestPropagator(SimpleTracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public List<String> fields() {
        return List.of(HEADER);
    }

    @Override
    public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
        setter.set(carrier, HEADER, context.traceId() + "/" + context.spanId());
    }

    @Override
    public <C> Span.Builder extract(C carrier, Getter<C> getter) {
        String value = getter.get(carrier, HEADER);
        if (value == null) {
            return tracer.spanBuilder();
        }
        String[] ids = value.split("/", 2);
        TraceContext parent = tracer.traceContextBuilder().traceId(ids[0]).spanId(ids[1]).sampled(true).build();
        return tracer.spanBuilder().setParent(parent);
    }
}
