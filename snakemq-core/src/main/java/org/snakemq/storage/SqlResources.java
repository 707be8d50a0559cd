package org.snakemq.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing JDBC connections and statements on paths that already failed or are shutting down. */
final class SqlResources {

    private static final Logger log = LoggerFactory.getLogger("snakemq.storage");

    private SqlResources() {
    }

    /**
     * Closes {@code resource}, if there is one. A failure to close is logged at debug level, not
     * thrown: the caller is failing or closing already, and its own error is the one that matters.
     */
    static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            log.debug("closing {} failed", resource.getClass().getSimpleName(), e);
        }
    }
}
