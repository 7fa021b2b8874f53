package org.quiver.sql.jdbc;

import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.rel.type.TimeFrames;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.util.Util;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the generated code of one execution reads through {@link DataContext#get}: the values
 * bound to its parameters ({@code ?0}, {@code ?1}, ...), the time it started, its cancel flag and
 * timeout, and the connection's time zone and locale.
 *
 * <p>Calcite's own context reads the time zone and locale from the connection's configuration
 * on every execution, and that configuration parses all connection properties again on each
 * read. A connection's properties do not change once it is open, so {@link Settings} reads them
 * once per connection. Variables are answered by name, not from a map built per execution.
 */
final class ExecutionContext implements DataContext {
  /** Calcite's name for the user running a statement; Quiver's users are checked elsewhere. */
  private static final String USER = "sa";

  private final Settings settings;
  private final CalciteConnection connection;
  private final CalcitePrepare.CalciteSignature<?> signature;
  private final @Nullable Object[] parameters;
  private final AtomicBoolean cancelFlag;
  private final @Nullable Long timeoutMillis;
  private final long startMillis;

  private ExecutionContext(Settings settings, CalciteConnection connection,
      CalcitePrepare.CalciteSignature<?> signature, @Nullable Object[] parameters,
      AtomicBoolean cancelFlag, @Nullable Long timeoutMillis, long startMillis) {
    this.settings = settings;
    this.connection = connection;
    this.signature = signature;
    this.parameters = parameters;
    this.cancelFlag = cancelFlag;
    this.timeoutMillis = timeoutMillis;
    this.startMillis = startMillis;
  }

  /** The connection's settings that an execution reads, read once when it opens. */
  record Settings(TimeZone timeZone, Locale locale, String systemUser) {
    static Settings of(TimeZone timeZone, CalciteConnectionConfig config) {
      String locale = config.locale();
      return new Settings(timeZone, locale == null ? Locale.ROOT : Util.parseLocale(locale),
          System.getProperty("user.name", USER));
    }
  }

  /**
   * The context of an execution that starts now.
   *
   * @param parameters the values bound to the statement's parameters, all bound
   * @param timeoutMillis the statement's timeout, or 0 for none
   */
  static ExecutionContext start(Settings settings, CalciteConnection connection,
      CalcitePrepare.CalciteSignature<?> signature, List<TypedValue> parameters,
      AtomicBoolean cancelFlag, long timeoutMillis) {
    @Nullable Object[] locals = new Object[parameters.size()];
    for (int i = 0; i < locals.length; i++) {
      locals[i] = parameters.get(i).toLocal();
    }
    return new ExecutionContext(settings, connection, signature, locals, cancelFlag,
        timeoutMillis > 0 ? timeoutMillis : null, System.currentTimeMillis());
  }

  @Override
  public @Nullable SchemaPlus getRootSchema() {
    return signature.rootSchema == null ? null : signature.rootSchema.plus();
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return connection.getTypeFactory();
  }

  @Override
  public QueryProvider getQueryProvider() {
    return connection;
  }

  @Override
  public @Nullable Object get(String name) {
    if (name.startsWith("?")) {
      int index = Integer.parseInt(name, 1, name.length(), 10);
      return index < parameters.length ? parameters[index] : null;
    }
    return switch (name) {
      case "utcTimestamp" -> startMillis;
      case "currentTimestamp", "localTimestamp" ->
          startMillis + settings.timeZone().getOffset(startMillis);
      case "sysTimestamp" -> startMillis + TimeZone.getDefault().getOffset(startMillis);
      case "cancelFlag" -> cancelFlag;
      case "timeout" -> timeoutMillis;
      case "timeZone" -> settings.timeZone();
      case "locale" -> settings.locale();
      case "timeFrameSet" ->
          connection.getTypeFactory().getTypeSystem().deriveTimeFrameSet(TimeFrames.CORE);
      case "user" -> USER;
      case "systemUser" -> settings.systemUser();
      case "stdin" -> System.in;
      case "stdout" -> System.out;
      case "stderr" -> System.err;
      default -> signature.internalParameters.get(name);
    };
  }
}
