package org.quiver.sql.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/**
 * How {@code quiver serve} writes its log (standard error): key=value lines or one JSON object
 * per line. Each is a Logback configuration of the command line's; the libraries underneath log
 * through SLF4J only and never choose.
 */
enum LogFormat {
  /**
   * What Logback configured itself with at start-up: the command line's {@code logback.xml}, or
   * the file {@code -Dlogback.configurationFile} names.
   */
  TEXT(null),
  /** Events and messages as JSON objects (logstash-logback-encoder). */
  JSON("/quiver-logback-json.xml");

  /** The configuration resource, or null for Logback's start-up configuration. */
  private final String configuration;

  LogFormat(String configuration) {
    this.configuration = configuration;
  }

  /**
   * Makes this format the one every logger of the process writes in from now on, those of
   * java.util.logging (jvector's) included.
   */
  void apply() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    if (configuration == null) {
      return;
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    context.reset();
    try {
      configurator.doConfigure(LogFormat.class.getResource(configuration));
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure logging from " + configuration, e);
    }
  }

  /** {@code text} (also {@code kv}, {@code key-value}) or {@code json}. */
  static final class Converter implements CommandLine.ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "text", "kv", "key-value" -> TEXT;
        case "json" -> JSON;
        default -> throw new CommandLine.TypeConversionException(
            "unknown log format '" + value + "': expected text or json");
      };
    }
  }
}
