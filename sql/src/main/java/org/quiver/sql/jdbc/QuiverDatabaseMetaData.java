package org.quiver.sql.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaDatabaseMetaData;
import org.quiver.jdbc.internal.CatalogQueries;

/**
 * The embedded connection's DatabaseMetaData: Avatica's, plus what Calcite leaves empty (primary
 * keys, indexes, Quiver's types and table types), answered by {@link CatalogQueries}.
 *
 * <p>Names and patterns written all in upper case that match nothing as written are matched
 * again in lower case. Quiver stores unquoted names in lower case, but clients that cannot learn
 * that over Avatica's protocol (the stock Avatica driver reports upper-case storage, so sqlline
 * asks for {@code ITEMS} when the user typed {@code items}) would otherwise find nothing. Every
 * door that reaches the engine's metadata (embedded, both remote drivers, Flight SQL) gets this.
 */
final class QuiverDatabaseMetaData extends AvaticaDatabaseMetaData {
  private final AvaticaConnection connection;

  QuiverDatabaseMetaData(AvaticaConnection connection) {
    super(connection);
    this.connection = connection;
  }

  /** A metadata call by its name patterns (some may be null). */
  private interface ByNames {
    ResultSet run(String[] names) throws SQLException;
  }

  /** The rows for {@code names} as written, or, when those match nothing, lower-cased. */
  private static ResultSet caseFolding(ByNames call, String... names) throws SQLException {
    String[] folded = Arrays.stream(names).map(QuiverDatabaseMetaData::fold)
        .toArray(String[]::new);
    if (!Arrays.equals(folded, names)) {
      boolean found;
      try (ResultSet written = call.run(names)) {
        found = written.next();
      }
      if (!found) {
        return call.run(folded);
      }
    }
    return call.run(names);
  }

  /** {@code name} in lower case if it has upper-case letters and no lower-case ones. */
  private static String fold(String name) {
    if (name == null || name.chars().anyMatch(Character::isLowerCase)
        || name.chars().noneMatch(Character::isUpperCase)) {
      return name;
    }
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern,
      String[] types) throws SQLException {
    return caseFolding(n -> super.getTables(catalog, n[0], n[1], types), schemaPattern,
        tableNamePattern);
  }

  @Override
  public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern,
      String columnNamePattern) throws SQLException {
    return caseFolding(n -> super.getColumns(catalog, n[0], n[1], n[2]), schemaPattern,
        tableNamePattern, columnNamePattern);
  }

  @Override
  public ResultSet getPrimaryKeys(String catalog, String schema, String table)
      throws SQLException {
    return caseFolding(n -> CatalogQueries.getPrimaryKeys(connection, catalog, n[0], n[1]),
        schema, table);
  }

  @Override
  public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique,
      boolean approximate) throws SQLException {
    return caseFolding(n -> CatalogQueries.getIndexInfo(connection, catalog, n[0], n[1], unique,
        approximate), schema, table);
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
