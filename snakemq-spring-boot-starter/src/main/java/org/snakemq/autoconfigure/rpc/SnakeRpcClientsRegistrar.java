package org.snakemq.autoconfigure.rpc;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import org.snakemq.spring.EnableSnakeRpcClients;
import org.snakemq.spring.SnakeRpcClient;

/**
 * Finds interfaces annotated {@link SnakeRpcClient} in the application's auto-configuration packages
 * and in the packages named by {@link EnableSnakeRpcClients}, and registers a bean definition for each,
 * backed by {@link SnakeRpcClientFactoryBean}. The bean is named after the interface
 * ({@code calculator} for {@code Calculator}) unless that name is taken. {@code ${...}} placeholders in
 * the peer and object names are resolved against the environment; one that does not resolve fails the
 * start-up.
 */
public final class SnakeRpcClientsRegistrar
        implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, ResourceLoaderAware {

    private static final Logger log = LoggerFactory.getLogger("snakemq.rpc");

    private Environment environment;
    private ResourceLoader resourceLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (AotDetector.useGeneratedArtifacts()) {
            return; // an AOT-processed application: its generated code registers the clients found at build time
        }
        Set<String> packages = packages(registry);
        if (packages.isEmpty()) {
            return;
        }
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
                environment) {
            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
            }
        };
        if (resourceLoader != null) {
            scanner.setResourceLoader(resourceLoader);
        }
        scanner.addIncludeFilter(new AnnotationTypeFilter(SnakeRpcClient.class, false, true));
        Set<String> seen = new LinkedHashSet<>();
        for (String basePackage : packages) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                if (seen.add(candidate.getBeanClassName())) {
                    register(registry, (AnnotatedBeanDefinition) candidate);
                }
            }
        }
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }

    private void register(BeanDefinitionRegistry registry, AnnotatedBeanDefinition candidate) {
        String className = candidate.getMetadata().getClassName();
        Map<String, Object> attributes = candidate.getMetadata().getAnnotationAttributes(SnakeRpcClient.class.getName());
        String peer = SnakeRpcPlaceholders.resolve(environment, (String) attributes.get("peer"),
                "@SnakeRpcClient(peer = \"" + attributes.get("peer") + "\") on " + className);
        String object = SnakeRpcPlaceholders.resolve(environment, (String) attributes.get("object"),
                "@SnakeRpcClient(object = \"" + attributes.get("object") + "\") on " + className);
        if (!StringUtils.hasText(peer) || !StringUtils.hasText(object)) {
            throw new IllegalStateException("@SnakeRpcClient on " + className + " needs a peer and an object name");
        }
        Class<?> type = ClassUtils.resolveClassName(className, resourceLoader == null ? null : resourceLoader.getClassLoader());
        RootBeanDefinition definition = new RootBeanDefinition(SnakeRpcClientFactoryBean.class);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, type);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(1, peer);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(2, object);
        definition.setAttribute(FactoryBean.OBJECT_TYPE_ATTRIBUTE, type);
        // what ahead-of-time processing writes into the generated definition (it does not keep the attribute)
        definition.setTargetType(ResolvableType.forClassWithGenerics(SnakeRpcClientFactoryBean.class, type));
        String name = StringUtils.uncapitalize(ClassUtils.getShortName(className));
        if (registry.containsBeanDefinition(name)) {
            name = className;
        }
        registry.registerBeanDefinition(name, definition);
        log.debug("registered RPC client {} for {}/{} as bean {}", className, peer, object, name);
    }

    private static Set<String> packages(BeanDefinitionRegistry registry) {
        Set<String> packages = new LinkedHashSet<>();
        if (registry instanceof BeanFactory beanFactory && AutoConfigurationPackages.has(beanFactory)) {
            packages.addAll(AutoConfigurationPackages.get(beanFactory));
        }
        for (String name : registry.getBeanDefinitionNames()) {
            if (registry.getBeanDefinition(name) instanceof AnnotatedBeanDefinition annotated
                    && annotated.getMetadata().hasAnnotation(EnableSnakeRpcClients.class.getName())) {
                Map<String, Object> attributes = annotated.getMetadata()
                        .getAnnotationAttributes(EnableSnakeRpcClients.class.getName(), true);
                packages.addAll(Arrays.asList((String[]) attributes.get("basePackages")));
                for (String classNameInPackage : (String[]) attributes.get("basePackageClasses")) {
                    packages.add(ClassUtils.getPackageName(classNameInPackage));
                }
            }
        }
        packages.removeIf(p -> !StringUtils.hasText(p));
        return packages;
    }
}
