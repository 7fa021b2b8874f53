package org.quiver.engine.api;

import java.util.List;

/**
 * A scalar filter expression over the columns of a collection: what the SQL layer pushes down with
 * a search or a query. Literals hold the boxed value (any {@link Number}, String, Boolean) or null.
 */
public sealed interface Expr {

  /** A column of the collection, by name. */
  record Column(String name) implements Expr {}

  /** A constant; null is SQL NULL. */
  record Literal(Object value) implements Expr {}

  /** A comparison; with a NULL operand it is unknown, as in SQL. */
  record Compare(CompareOp op, Expr left, Expr right) implements Expr {}

  record And(List<Expr> terms) implements Expr {
    public And {
      terms = List.copyOf(terms);
    }
  }

  record Or(List<Expr> terms) implements Expr {
    public Or {
      terms = List.copyOf(terms);
    }
  }

  record Not(Expr operand) implements Expr {}

  record IsNull(Expr operand) implements Expr {}

  record IsNotNull(Expr operand) implements Expr {}

  /** The comparison operators. */
  enum CompareOp {
    EQ, NE, LT, LE, GT, GE
  }
}
