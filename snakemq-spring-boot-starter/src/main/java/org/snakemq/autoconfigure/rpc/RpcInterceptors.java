package org.snakemq.autoconfigure.rpc;

import java.util.List;

import org.snakemq.rpc.RpcClientInterceptor;
import org.snakemq.rpc.RpcServerInterceptor;

/**
 * Several interceptor beans as one, the first outermost. The headers the client interceptors give
 * are merged, an inner one's replacing an outer one's of the same name.
 */
public final class RpcInterceptors {

    private RpcInterceptors() {
    }

    /** The client interceptors applied in order; {@link RpcClientInterceptor#NONE} for none. */
    public static RpcClientInterceptor client(List<RpcClientInterceptor> interceptors) {
        RpcClientInterceptor chain = RpcClientInterceptor.NONE;
        for (int i = interceptors.size() - 1; i >= 0; i--) {
            RpcClientInterceptor outer = interceptors.get(i);
            RpcClientInterceptor inner = chain;
            chain = (call, next) -> outer.intercept(call,
                    headers -> inner.intercept(call, more -> next.proceed(headers.withAll(more))));
        }
        return interceptors.size() == 1 ? interceptors.get(0) : chain;
    }

    /** The server interceptors applied in order; {@link RpcServerInterceptor#NONE} for none. */
    public static RpcServerInterceptor server(List<RpcServerInterceptor> interceptors) {
        RpcServerInterceptor chain = RpcServerInterceptor.NONE;
        for (int i = interceptors.size() - 1; i >= 0; i--) {
            RpcServerInterceptor outer = interceptors.get(i);
            RpcServerInterceptor inner = chain;
            chain = (call, next) -> outer.intercept(call, () -> inner.intercept(call, next));
        }
        return interceptors.size() == 1 ? interceptors.get(0) : chain;
    }
}
