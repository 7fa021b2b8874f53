package org.quiver.sql.rel;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlBasicVisitor;

/**
 * Whether the statement being planned on this thread is an {@code UPSERT}. Calcite turns {@code
 * UPSERT INTO} into the same INSERT table-modify as {@code INSERT INTO}, so the keyword is read
 * from the parse tree and handed to {@link QuiverTableModifyRule} through the planning thread.
 */
public final class UpsertStatements {
  private static final ThreadLocal<Boolean> CURRENT = ThreadLocal.withInitial(() -> false);

  private UpsertStatements() {}

  static boolean current() {
    return CURRENT.get();
  }

  /** Remembers whether {@code statement} (or the statement an EXPLAIN explains) is an UPSERT. */
  public static void remember(SqlNode statement) {
    CURRENT.set(isUpsert(statement));
  }

  public static void forget() {
    CURRENT.remove();
  }

  /** True when {@code statement} holds an {@code UPSERT INTO}. */
  public static boolean isUpsert(SqlNode statement) {
    boolean[] found = {false};
    statement.accept(new SqlBasicVisitor<Void>() {
      @Override
      public Void visit(SqlCall call) {
        if (call instanceof SqlInsert insert && insert.isUpsert()) {
          found[0] = true;
          return null;
        }
        return super.visit(call);
      }
    });
    return found[0];
  }
}
