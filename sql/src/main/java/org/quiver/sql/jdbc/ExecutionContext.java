package org.quiver.sql.jdbc;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * once per connection.
 */
final class ExecutionContext implements DataContext {
  /** Calcite's name for the user running a statement; Quiver's users are checked elsewhere. */
  private static final String USER = "sa";

  private final Map<String, @Nullable Object> values;
  private final CalciteConnection connection;
  private final @Nullable SchemaPlus rootSchema;

  private ExecutionContext(Map<String, @Nullable Object> values, CalciteConnection connection,
      @Nullable SchemaPlus rootSchema) {
    this.values = values;
    this.connection = connection;
    this.rootSchema = rootSchema;
  }

  /** The connection's settings that an execution reads, read once when it opens. */
  record Settings(TimeZone timeZone, Locale locale, Map<String, Object> variables) {
    static Settings of(TimeZone timeZone, CalciteConnectionConfig config) {
      String name = config.locale();
      Locale locale = name == null ? Locale.ROOT : Util.parseLocale(name);
      return new Settings(timeZone, locale, Map.of(
          Variable.TIME_ZONE.camelName, timeZone,
          Variable.LOCALE.camelName, locale,
          Variable.USER.camelName, USER,
          Variable.SYSTEM_USER.camelName, System.getProperty("user.name", USER),
          Variable.STDIN.camelName, System.in,
          Variable.STDOUT.camelName, System.out,
          Variable.STDERR.camelName, System.err));
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
    long now = System.currentTimeMillis();
    long offset = settings.timeZone().getOffset(now);
    Map<String, @Nullable Object> values = new HashMap<>(settings.variables());
    values.put(Variable.UTC_TIMESTAMP.camelName, now);
    values.put(Variable.CURRENT_TIMESTAMP.camelName, now + offset);
    values.put(Variable.LOCAL_TIMESTAMP.camelName, now + offset);
    values.put(Variable.SYS_TIMESTAMP.camelName, now + TimeZone.getDefault().getOffset(now));
    values.put(Variable.TIME_FRAME_SET.camelName,
        connection.getTypeFactory().getTypeSystem().deriveTimeFrameSet(TimeFrames.CORE));
    values.put(Variable.CANCEL_FLAG.camelName, cancelFlag);
    if (timeoutMillis > 0) {
      values.put(Variable.TIMEOUT.camelName, timeoutMillis);
    }
    for (int i = 0; i < parameters.size(); i++) {
      values.put("?" + i, parameters.get(i).toLocal());
    }
    values.putAll(signature.internalParameters);
    return new ExecutionContext(values, connection,
        signature.rootSchema == null ? null : signature.rootSchema.plus());
  }

  @Override
  public @Nullable SchemaPlus getRootSchema() {
    return rootSchema;
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
    return values.get(name);
  }
}
