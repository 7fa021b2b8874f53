package org.quiver.sql.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Properties;
import java.util.TimeZone;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaSpecificDatabaseMetaData;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.jdbc.CalciteFactory;
import org.apache.calcite.jdbc.CalciteJdbc41Factory;
import org.apache.calcite.jdbc.CalciteSchema;
import org.quiver.sql.schema.QuiverTypeFactory;

/**
 * Calcite's JDBC object factory with Quiver's type factory for each connection, Quiver's
 * {@link QuiverDatabaseMetaData} (Calcite's meta layer cannot be subclassed from outside its
 * package, so the metadata that it leaves empty, primary keys and indexes, is supplied one level
 * up, where Avatica lets a driver choose the DatabaseMetaData class) and prepared statements'
 * metadata that keeps their signatures for {@link QuiverMeta}.
 */
public final class QuiverJdbcFactory extends CalciteFactory {
  private final CalciteFactory calcite = new CalciteJdbc41Factory();

  public QuiverJdbcFactory() {
    super(4, 1);
  }

  @Override
  public AvaticaConnection newConnection(UnregisteredDriver driver, AvaticaFactory factory,
      String url, Properties info, CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
    return calcite.newConnection(driver, factory, url, info, rootSchema,
        typeFactory != null ? typeFactory : new QuiverTypeFactory());
  }

  @Override
  public AvaticaStatement newStatement(AvaticaConnection connection, Meta.StatementHandle h,
      int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return calcite.newStatement(connection, h, resultSetType, resultSetConcurrency,
        resultSetHoldability);
  }

  @Override
  public AvaticaPreparedStatement newPreparedStatement(AvaticaConnection connection,
      Meta.StatementHandle h, Meta.Signature signature, int resultSetType,
      int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return calcite.newPreparedStatement(connection, h, signature, resultSetType,
        resultSetConcurrency, resultSetHoldability);
  }

  @Override
  public AvaticaResultSet newResultSet(AvaticaStatement statement, QueryState state,
      Meta.Signature signature, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
    return calcite.newResultSet(statement, state, signature, timeZone, firstFrame);
  }

  @Override
  public AvaticaSpecificDatabaseMetaData newDatabaseMetaData(AvaticaConnection connection) {
    return new QuiverDatabaseMetaData(connection);
  }

  /** Called by Avatica for each new prepared statement only (result sets are Calcite's). */
  @Override
  public ResultSetMetaData newResultSetMetaData(AvaticaStatement statement,
      Meta.Signature signature) {
    return new PreparedStatementMetaData(statement, signature);
  }
}
