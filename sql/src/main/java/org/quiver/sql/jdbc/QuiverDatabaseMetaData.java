package org.quiver.sql.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaDatabaseMetaData;
import org.quiver.jdbc.internal.CatalogQueries;

/**
 * The embedded connection's DatabaseMetaData: Avatica's, plus what Calcite leaves empty (primary
 * keys, indexes, Quiver's types and table types), answered by {@link CatalogQueries}.
 */
final class QuiverDatabaseMetaData extends AvaticaDatabaseMetaData {
  private final AvaticaConnection connection;

  QuiverDatabaseMetaData(AvaticaConnection connection) {
    super(connection);
    this.connection = connection;
  }

  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table)
      throws SQLException {
    return CatalogQueries.getPrimaryKeys(connection, catalog, schema, table);
  }

  @Override
  public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique,
      boolean approximate) throws SQLException {
    return CatalogQueries.getIndexInfo(connection, catalog, schema, table, unique, approximate);
  }

  @Override
  public ResultSet getTypeInfo() throws SQLException {
    return CatalogQueries.getTypeInfo(connection);
  }

  @Override
  public ResultSet getTableTypes() throws SQLException {
    return CatalogQueries.getTableTypes(connection);
  }
}
