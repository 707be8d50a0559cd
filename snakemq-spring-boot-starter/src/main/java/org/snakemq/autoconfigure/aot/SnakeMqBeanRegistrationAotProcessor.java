package org.snakemq.autoconfigure.aot;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Map;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

import org.snakemq.autoconfigure.rpc.SnakeRpcClientFactoryBean;
import org.snakemq.spring.SnakeListener;
import org.snakemq.spring.SnakeRpc;

/**
 * Ahead-of-time processing of the application's beans: registers the runtime hints that what the
 * starter does by reflection needs in a native image.
 * <ul>
 *   <li>a {@code @SnakeRpcClient} interface (a bean made by {@link SnakeRpcClientFactoryBean}): a JDK
 *       proxy of it, its public methods, and binding hints for their parameter and return types (the
 *       arguments are pickled from records and beans, the results converted back into them);</li>
 *   <li>a {@code @SnakeRpc} bean: its public methods, invoked by the RPC server, those of the
 *       {@code exposing} interface, and binding hints for their parameter and return types;</li>
 *   <li>a bean with {@code @SnakeListener} methods: each method, invoked, and binding hints for the
 *       parameter types outside the JDK and snakeMQ.</li>
 * </ul>
 * Registered in {@code META-INF/spring/aot.factories}; runs at build time only.
 */
final class SnakeMqBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

    private static final BindingReflectionHintsRegistrar BINDING = new BindingReflectionHintsRegistrar();

    @Override
    public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean bean) {
        Class<?> rpcClient = rpcClientInterface(bean);
        if (rpcClient != null) {
            return (context, code) -> rpcClientHints(context.getRuntimeHints(), rpcClient);
        }
        Class<?> type = ClassUtils.getUserClass(bean.getBeanType().toClass());
        if (type.getName().startsWith("org.springframework.")) {
            return null;
        }
        SnakeRpc served = bean.getBeanFactory().findAnnotationOnBean(bean.getBeanName(), SnakeRpc.class, false);
        Map<Method, SnakeListener> listeners = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<SnakeListener>) m ->
                        AnnotatedElementUtils.findMergedAnnotation(m, SnakeListener.class));
        if (served == null && listeners.isEmpty()) {
            return null;
        }
        return (context, code) -> {
            RuntimeHints hints = context.getRuntimeHints();
            if (served != null) {
                servedHints(hints, served.exposing() != void.class ? served.exposing() : type);
            }
            listeners.keySet().forEach(method -> listenerHints(hints, method));
        };
    }

    /** The interface of a {@code @SnakeRpcClient} bean definition, or null for any other bean. */
    private static Class<?> rpcClientInterface(RegisteredBean bean) {
        if (bean.getBeanClass() != SnakeRpcClientFactoryBean.class) {
            return null;
        }
        ConstructorArgumentValues.ValueHolder type = bean.getMergedBeanDefinition().getConstructorArgumentValues()
                .getIndexedArgumentValue(0, Class.class);
        return type != null && type.getValue() instanceof Class<?> c ? c : null;
    }

    static void rpcClientHints(RuntimeHints hints, Class<?> api) {
        hints.proxies().registerJdkProxy(api);
        hints.reflection().registerType(api, MemberCategory.INVOKE_PUBLIC_METHODS);
        bindingHints(hints, api);
    }

    static void servedHints(RuntimeHints hints, Class<?> type) {
        hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS,
                MemberCategory.INTROSPECT_DECLARED_METHODS);
        bindingHints(hints, type);
    }

    static void listenerHints(RuntimeHints hints, Method method) {
        hints.reflection().registerMethod(method, ExecutableMode.INVOKE);
        for (Type parameter : method.getGenericParameterTypes()) {
            if (isApplicationType(parameter)) {
                BINDING.registerReflectionHints(hints.reflection(), parameter);
            }
        }
    }

    /** Binding hints for the parameter and return types of the public methods a peer may call or is called by. */
    private static void bindingHints(RuntimeHints hints, Class<?> type) {
        for (Method method : type.getMethods()) {
            if (method.getDeclaringClass() == Object.class || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            for (Type parameter : method.getGenericParameterTypes()) {
                BINDING.registerReflectionHints(hints.reflection(), parameter);
            }
            BINDING.registerReflectionHints(hints.reflection(), method.getGenericReturnType());
        }
    }

    private static boolean isApplicationType(Type type) {
        String name = type.getTypeName();
        return !(name.startsWith("java.") || name.startsWith("org.snakemq.") || name.startsWith("org.springframework.")
                || (type instanceof Class<?> c && c.isPrimitive()));
    }
}
