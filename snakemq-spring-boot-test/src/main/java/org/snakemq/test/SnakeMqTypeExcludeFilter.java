package org.snakemq.test;

import java.io.IOException;
import java.util.Set;

import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

import org.snakemq.spring.SnakeListener;
import org.snakemq.spring.SnakeRpc;

/**
 * The components a {@link SnakeMqTest} scans: {@code @SnakeRpc} classes and classes with
 * {@code @SnakeListener} methods, and what its filters add.
 */
final class SnakeMqTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<SnakeMqTest> {

    private static final Set<Class<?>> DEFAULT_INCLUDES = Set.of(SnakeRpc.class);

    SnakeMqTypeExcludeFilter(Class<?> testClass) {
        super(testClass);
    }

    @Override
    protected Set<Class<?>> getKnownIncludes() {
        return DEFAULT_INCLUDES;
    }

    @Override
    protected boolean defaultInclude(MetadataReader reader, MetadataReaderFactory factory) throws IOException {
        return super.defaultInclude(reader, factory)
                || reader.getAnnotationMetadata().hasAnnotatedMethods(SnakeListener.class.getName());
    }
}
