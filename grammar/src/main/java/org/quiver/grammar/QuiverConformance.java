package org.quiver.grammar;

import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * The SQL Quiver accepts beyond Calcite's default conformance, where PostgreSQL accepts it too:
 * {@code !=} as another spelling of {@code <>} (pgvector's own tests compare vectors with it).
 */
public final class QuiverConformance extends SqlDelegatingConformance {
  public static final QuiverConformance INSTANCE = new QuiverConformance();

  private QuiverConformance() {
    super(SqlConformanceEnum.DEFAULT);
  }

  @Override public boolean isBangEqualAllowed() {
    return true;
  }
}
