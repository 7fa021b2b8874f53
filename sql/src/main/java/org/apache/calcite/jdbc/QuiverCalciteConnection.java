package org.apache.calcite.jdbc;

import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.quiver.sql.jdbc.BoundParameters;
import org.quiver.sql.jdbc.VectorParameters;
import org.quiver.sql.schema.QuiverTypeFactory;

/**
 * Quiver's embedded connection: Calcite's, with Quiver's type factory, its configuration read
 * once, bound values checked against their parameters' types ({@link BoundParameters}) and vector
 * parameters bound as vector values ({@link VectorParameters}).
 *
 * <p>Calcite answers every {@code config()} call with a new configuration object, and that object
 * re-parses all connection properties on every getter. Executing a prepared statement asks for
 * the time zone, locale, "spark" and "autoTemp" settings (each a full parse), which cost a
 * prepared k-NN search more than its parameter binding and result set together. A connection's
 * properties do not change once it is open, so the values are read at connect time.
 *
 * <p>It lives in Calcite's package because {@link CalciteConnectionImpl} is package-private and
 * Calcite offers no other way in: {@code CalciteJdbc41Factory.newConnection} returns a private
 * class, and {@code CalciteMetaImpl}'s constructor, protected for subclassing since CALCITE-5982,
 * takes this package-private type. It adds nothing else to the package (docs/architecture.md,
 * "Calcite's connection, subclassed in Calcite's package").
 */
public final class QuiverCalciteConnection extends CalciteConnectionImpl {
  private final CalciteConnectionConfig config;
  private final TimeZone timeZone;

  public QuiverCalciteConnection(Driver driver, AvaticaFactory factory, String url,
      Properties info, @Nullable CalciteSchema rootSchema,
      @Nullable JavaTypeFactory typeFactory) {
    super(driver, factory, url, info, rootSchema, typeFactory != null ? typeFactory
        : new QuiverTypeFactory(new CalciteConnectionConfigImpl(info)
            .typeSystem(RelDataTypeSystem.class, RelDataTypeSystem.DEFAULT)));
    this.config = new ReadOnceConfig(info);
    this.timeZone = super.getTimeZone();
  }

  @Override public CalciteConnectionConfig config() {
    // Avatica's constructor asks before this class's fields are set.
    return config != null ? config : super.config();
  }

  /** The connection's time zone; callers only read it (a fresh copy per call is not needed). */
  @Override public TimeZone getTimeZone() {
    return timeZone != null ? timeZone : super.getTimeZone();
  }

  /**
   * Every execution, with its bound values checked against the parameters' types
   * ({@link BoundParameters}: Calcite would convert a TIMESTAMP or 8.5 to a BIGINT key) and its
   * vector parameters as vector values ({@link VectorParameters}).
   */
  @Override public <T> Enumerable<T> enumerable(Meta.StatementHandle handle,
      CalcitePrepare.CalciteSignature<T> signature, @Nullable List<TypedValue> parameterValues)
      throws SQLException {
    List<TypedValue> values = parameterValues == null || parameterValues.isEmpty()
        ? TROJAN.getParameterValues(lookupStatement(handle)) : parameterValues;
    return super.enumerable(handle, signature, VectorParameters.convert(signature.parameters,
        BoundParameters.bind(signature.parameters, values)));
  }

  /** The settings read on every execution, parsed once; the rest as Calcite reads them. */
  private static final class ReadOnceConfig extends CalciteConnectionConfigImpl {
    private final String timeZone;
    private final String locale;
    private final boolean spark;
    private final boolean autoTemp;

    ReadOnceConfig(Properties properties) {
      super(properties);
      this.timeZone = super.timeZone();
      this.locale = super.locale();
      this.spark = super.spark();
      this.autoTemp = super.autoTemp();
    }

    @Override public String timeZone() {
      return timeZone;
    }

    @Override public String locale() {
      return locale;
    }

    @Override public boolean spark() {
      return spark;
    }

    @Override public boolean autoTemp() {
      return autoTemp;
    }
  }
}
