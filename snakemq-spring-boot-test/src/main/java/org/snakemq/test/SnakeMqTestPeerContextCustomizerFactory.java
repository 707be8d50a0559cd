package org.snakemq.test;

import java.util.List;

import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Gives a test class with {@link AutoConfigureSnakeMqTestPeer} (directly or through {@link SnakeMqTest}) its peer. */
final class SnakeMqTestPeerContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        Class<?> annotated = testClass;
        MergedAnnotation<AutoConfigureSnakeMqTestPeer> annotation = MergedAnnotations
                .from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY).get(AutoConfigureSnakeMqTestPeer.class);
        while (!annotation.isPresent() && TestContextAnnotationUtils.searchEnclosingClass(annotated)) {
            annotated = annotated.getEnclosingClass();
            annotation = MergedAnnotations.from(annotated, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                    .get(AutoConfigureSnakeMqTestPeer.class);
        }
        if (!annotation.isPresent()) {
            return null;
        }
        return new SnakeMqTestPeerContextCustomizer(annotation.getString("identity"),
                annotation.getBoolean("freeListenerPorts"));
    }
}
