package org.snakemq.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The remote name of a method when it differs from the Java name, e.g. {@code @RpcName("get_fo")} on
 * {@code getFo()} to call or serve a Python-style name. On a proxy interface it names the method
 * called; on a served object the method answers to this name as well as to its Java name.
 * Read once, on the thread that registers the object or creates the proxy.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcName {
    String value();
}
