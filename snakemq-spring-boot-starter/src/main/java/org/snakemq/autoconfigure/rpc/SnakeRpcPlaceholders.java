package org.snakemq.autoconfigure.rpc;

import org.springframework.core.env.Environment;

/** Resolves {@code ${...}} placeholders in the attributes of the RPC annotations. */
final class SnakeRpcPlaceholders {

    private SnakeRpcPlaceholders() {
    }

    /**
     * The value with its placeholders resolved against the environment (defaults as in
     * {@code ${name:default}} apply).
     *
     * @param where the annotation and its place, for the start-up failure when a placeholder does not resolve
     */
    static String resolve(Environment environment, String value, String where) {
        if (value == null || environment == null || !value.contains("${")) {
            return value;
        }
        try {
            return environment.resolveRequiredPlaceholders(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": " + e.getMessage()
                    + "; define the property or give the placeholder a default (${name:default})", e);
        }
    }
}
