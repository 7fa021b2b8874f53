package org.quiver.sql.jdbc;

import org.apache.calcite.avatica.AvaticaResultSetMetaData;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;

/**
 * A prepared statement's result set metadata, which also keeps the statement's signature: Avatica
 * keeps a statement's signature to the statement, and {@link QuiverMeta}, which executes it,
 * reads it here ({@code PreparedStatement.getMetaData()} returns the object the connection's
 * factory made for the statement).
 */
final class PreparedStatementMetaData extends AvaticaResultSetMetaData {
  private final Meta.Signature signature;

  PreparedStatementMetaData(AvaticaStatement statement, Meta.Signature signature) {
    super(statement, null, signature);
    this.signature = signature;
  }

  Meta.Signature signature() {
    return signature;
  }
}
