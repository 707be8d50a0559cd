package org.snakemq.cli.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that hands its events to {@link CliLog}. */
final class CliLogger extends LegacyAbstractLogger {

    CliLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return CliLog.isEnabled(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return CliLog.isEnabled(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return CliLog.isEnabled(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return CliLog.isEnabled(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return CliLog.isEnabled(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        if (!CliLog.isEnabled(name, level)) {
            return;
        }
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        CliLog.log(new LogEvent(level, name, message, throwable));
    }
}
