package org.snakemq.autoconfigure.delivery;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.validation.Validator;
import org.springframework.util.ClassUtils;

import org.snakemq.autoconfigure.SnakeMqTaskExecutors;
import org.snakemq.autoconfigure.lifecycle.GracefulStop;
import org.snakemq.delivery.Deliveries;
import org.snakemq.delivery.DeliveryAccessPolicy;
import org.snakemq.delivery.Delivery;
import org.snakemq.delivery.RetryPolicy;
import org.snakemq.messaging.Messaging;
import org.snakemq.messaging.ReceiveHook;
import org.snakemq.storage.DeadLetterStore;
import org.snakemq.storage.SqlDeliveryStore;
import org.snakemq.spring.SnakeListener;
import org.snakemq.spring.SnakeListenerInterceptor;
import org.snakemq.spring.SnakeMessageReceivedEvent;

/**
 * The listener container of the starter: finds the {@code @SnakeListener} methods once all singletons
 * exist, and builds the {@link Deliveries} that hands each received message to the methods that take
 * its sender and publishes it as a {@link SnakeMessageReceivedEvent}, on a handler thread. An
 * exception of any of them fails the delivery (retry, then dead letter); the message is acknowledged
 * once all of them completed. {@link DeliveryAccessPolicy} beans decide which senders' messages reach
 * any of them (all must permit); {@code @SnakeListener(senders = ...)} narrows one method further.
 * {@link SnakeListenerInterceptor} beans stand around each attempt, in their order.
 * Inject it to list, replay and delete dead letters ({@link #deliveries()}).
 */
public final class SnakeListenerContainer implements SmartInitializingSingleton, GracefulStop,
        DisposableBean {

    private static final Logger log = LoggerFactory.getLogger("snakemq.delivery");

    private final ListableBeanFactory beanFactory;
    private final ApplicationEventPublisher events;
    private final Messaging messaging;
    private final ReceiveHook hook;
    private final DeadLetterStore store;
    private final SnakeMqDeliveryProperties properties;
    private final List<DeliveryAccessPolicy> accessPolicies;
    private volatile List<SnakeListenerMethod> listeners = List.of();
    private volatile SnakeListenerInterceptor interceptor = (delivery, next) -> next.proceed();
    private volatile Deliveries deliveries;
    private final AsyncTaskExecutor executor;
    private final SnakeListenerMethod.Arguments arguments;

    /**
     * @param events where received messages are published as events, or null for none
     * @param store  the dead letters; when it is a {@link SqlDeliveryStore} also the inbox and the
     *               database of transactional listeners
     * @param executors builds the handler threads
     * @param accessPolicies every message must be permitted by all of these before any listener or
     *                       event listener sees it (a refused one is acknowledged, logged and counted,
     *                       not dead-lettered); asked on the link's loop thread
     * @param converter  converts payloads to the parameter types of the listener methods
     * @param validator  validates {@code @Valid} payloads, or null for none
     */
    public SnakeListenerContainer(ListableBeanFactory beanFactory, ApplicationEventPublisher events,
                                  Messaging messaging, ReceiveHook hook, DeadLetterStore store,
                                  SnakeMqDeliveryProperties properties, SnakeMqTaskExecutors executors,
                                  List<DeliveryAccessPolicy> accessPolicies, MessageConverter converter,
                                  Validator validator) {
        this.accessPolicies = List.copyOf(accessPolicies);
        this.arguments = new SnakeListenerMethod.Arguments(converter, validator,
                ApplicationConversionService.getSharedInstance(),
                beanFactory instanceof ConfigurableBeanFactory configurable ? configurable : null);
        this.beanFactory = beanFactory;
        this.events = events;
        this.messaging = messaging;
        this.hook = hook;
        this.store = store;
        this.properties = properties;
        if (properties.getThreads() <= 0) {
            throw new InvalidConfigurationPropertyValueException("snakemq.delivery.threads", properties.getThreads(),
                    "Must be positive.");
        }
        this.executor = executors.handlers(properties.getThreads());
    }

    /** The deliveries, once the context's singletons exist: dead letters, replay, statistics. */
    public Deliveries deliveries() {
        Deliveries d = deliveries;
        if (d == null) {
            throw new IllegalStateException("the listener container starts once all singletons exist");
        }
        return d;
    }

    private Deliveries build() {
        SnakeMqDeliveryProperties.Retry r = properties.getRetry();
        RetryPolicy retry;
        try {
            retry = new RetryPolicy(r.getMaxAttempts(), r.getInitialDelay(), r.getMultiplier(), r.getMaxDelay());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationPropertyValueException("snakemq.delivery.retry", r.getMaxAttempts() + ", "
                    + r.getInitialDelay() + ", " + r.getMultiplier() + ", " + r.getMaxDelay(), e.getMessage());
        }
        if (properties.getMaxPendingPerSender() <= 0 || properties.getMaxPending() <= 0) {
            throw new InvalidConfigurationPropertyValueException("snakemq.delivery.max-pending",
                    properties.getMaxPending(), "Limits must be positive.");
        }
        Deliveries.Builder builder = Deliveries.builder()
                .retry(retry)
                .deadLetters(store)
                .maxPending(properties.getMaxPendingPerSender(), properties.getMaxPending())
                .executor(executor)
                .skip((sender, message) -> hook.routes(message));
        if (!accessPolicies.isEmpty()) {
            builder.accessPolicy(accessPolicies.stream().reduce(DeliveryAccessPolicy::and).orElseThrow());
        }
        SqlDeliveryStore sql = store instanceof SqlDeliveryStore s ? s : null;
        if (sql != null && properties.getInbox().isEnabled()) {
            builder.inbox(sql).inboxPerSender(properties.getInbox().getPerSender());
        }
        if (anyTransactional()) {
            if (sql == null) {
                throw new IllegalStateException("@SnakeListener(transactional = true) needs snakemq.storage.type "
                        + "sqlite or jdbc: the transaction is one of the storage's database");
            }
            builder.transactionalHandler((delivery, tx) -> dispatch(delivery, tx), sql);
        } else {
            builder.asyncHandler(delivery -> dispatch(delivery, null));
        }
        return builder.attachTo(messaging);
    }

    @Override
    public void stopGracefully(Duration timeout) {
        Deliveries d = deliveries;
        if (d != null) {
            d.close(timeout);
        }
    }

    @Override
    public void destroy() throws Exception {
        stopGracefully(Duration.ofSeconds(1));
        if (executor instanceof DisposableBean disposable) {
            disposable.destroy();
        } else if (executor instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        List<SnakeListenerMethod> found = new ArrayList<>();
        for (String name : beanFactory.getBeanNamesForType(Object.class, false, false)) {
            Class<?> type = beanFactory.getType(name, false);
            if (type == null || type.getName().startsWith("org.springframework.")) {
                continue;
            }
            Class<?> userClass = ClassUtils.getUserClass(type);
            Map<Method, SnakeListener> methods = MethodIntrospector.selectMethods(userClass,
                    (MethodIntrospector.MetadataLookup<SnakeListener>) m ->
                            AnnotatedElementUtils.findMergedAnnotation(m, SnakeListener.class));
            if (methods.isEmpty()) {
                continue;
            }
            Object bean = beanFactory.getBean(name);
            methods.forEach((method, annotation) -> {
                Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
                found.add(new SnakeListenerMethod(name, bean, invocable, Set.of(annotation.senders()),
                        annotation.transactional(), arguments));
                log.info("@SnakeListener {}.{} handles messages{}", name, method.getName(),
                        annotation.senders().length == 0 ? "" : " of " + List.of(annotation.senders()));
            });
        }
        listeners = List.copyOf(found);
        interceptor = chain(beanFactory.getBeanProvider(SnakeListenerInterceptor.class).orderedStream().toList());
        deliveries = build();
    }

    /** Whether some listener method asks for the storage's transaction. */
    boolean anyTransactional() {
        return listeners.stream().anyMatch(SnakeListenerMethod::transactional);
    }

    List<SnakeListenerMethod> listeners() {
        return listeners;
    }

    private static SnakeListenerInterceptor chain(List<SnakeListenerInterceptor> interceptors) {
        SnakeListenerInterceptor chain = (delivery, next) -> next.proceed();
        for (int i = interceptors.size() - 1; i >= 0; i--) {
            SnakeListenerInterceptor outer = interceptors.get(i);
            SnakeListenerInterceptor inner = chain;
            chain = (delivery, next) -> outer.intercept(delivery, () -> inner.intercept(delivery, next));
        }
        return chain;
    }

    /** One attempt at a delivery: the interceptors around the listeners. */
    private CompletionStage<?> dispatch(Delivery delivery, Connection transaction) throws Exception {
        return interceptor.intercept(delivery, () -> dispatchToListeners(delivery, transaction));
    }

    /** Runs the listeners and the event listeners for one delivery. */
    private CompletionStage<?> dispatchToListeners(Delivery delivery, Connection transaction) throws Exception {
        List<CompletableFuture<?>> pending = null;
        for (SnakeListenerMethod listener : listeners) {
            if (!listener.takes(delivery.sender())) {
                continue;
            }
            CompletionStage<?> stage = listener.invoke(delivery, transaction);
            CompletableFuture<?> future = stage.toCompletableFuture();
            if (!future.isDone() || future.isCompletedExceptionally()) {
                if (pending == null) {
                    pending = new ArrayList<>();
                }
                pending.add(future);
            }
        }
        if (events != null) {
            events.publishEvent(new SnakeMessageReceivedEvent(delivery.sender(), delivery.message(), null));
        }
        if (pending == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (transaction != null) {
            // the transaction commits when the handler returns: asynchronous work cannot be part of it
            for (CompletableFuture<?> future : pending) {
                future.join();
            }
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }
}
