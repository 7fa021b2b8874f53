package org.quiver.tests;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.quiver.sql.server.EventLog;
import org.slf4j.LoggerFactory;

/**
 * The server's events (the logger {@link EventLog#LOGGER}) captured as key=value lines while a
 * test runs, through an appender added to the Logback configuration the command line brings.
 */
final class EventCapture implements AutoCloseable {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
  private final Logger logger;
  private final Level level;

  EventCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("level=%level event=%msg %kvp%n");
    encoder.start();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(bytes);
    appender.start();
    logger = context.getLogger(EventLog.LOGGER);
    // Every event, whichever configuration on the test class path Logback read first.
    level = logger.getLevel();
    logger.setLevel(Level.INFO);
    logger.addAppender(appender);
  }

  /** Every event so far, one line each. */
  String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(level);
    appender.stop();
  }
}
