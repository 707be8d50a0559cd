package org.snakemq.test;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The JUnit side of {@link AutoConfigureSnakeMqTestPeer}: resets the test peer's records before each
 * test (the peer lives as long as its cached context) and resolves {@link SnakeMqTestPeer}
 * parameters of test methods. Runs on JUnit's test thread.
 */
public final class SnakeMqTestPeerExtension implements BeforeEachCallback, ParameterResolver {

    @Override
    public void beforeEach(ExtensionContext context) {
        ApplicationContext application = SpringExtension.getApplicationContext(context);
        if (application.containsBean(SnakeMqTestPeerContextCustomizer.BEAN_NAME)) {
            application.getBean(SnakeMqTestPeerContextCustomizer.BEAN_NAME, SnakeMqTestPeer.class).reset();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SnakeMqTestPeer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SpringExtension.getApplicationContext(context)
                .getBean(SnakeMqTestPeerContextCustomizer.BEAN_NAME, SnakeMqTestPeer.class);
    }
}
