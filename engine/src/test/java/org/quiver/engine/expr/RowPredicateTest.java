package org.quiver.engine.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quiver.engine.api.Expr.CompareOp;
import org.quiver.engine.api.Expr;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.fixtures.Batches;
import org.quiver.storage.schema.CollectionSchema;
import org.quiver.storage.schema.ColumnBatch;
import org.quiver.storage.schema.DataType;
import org.quiver.storage.schema.FieldSchema;

class RowPredicateTest {
  private static final CollectionSchema SCHEMA = new CollectionSchema(List.of(
      new FieldSchema(1, "id", DataType.INT64, 0, false, true),
      new FieldSchema(2, "i", DataType.INT32, 0, true, false),
      new FieldSchema(3, "l", DataType.INT64, 0, true, false),
      new FieldSchema(4, "f", DataType.FLOAT, 0, true, false),
      new FieldSchema(5, "d", DataType.DOUBLE, 0, true, false),
      new FieldSchema(6, "s", DataType.VARCHAR, 0, true, false),
      new FieldSchema(7, "flag", DataType.BOOL, 0, true, false),
      new FieldSchema(8, "small", DataType.INT16, 0, true, false),
      new FieldSchema(9, "tiny", DataType.INT8, 0, true, false),
      new FieldSchema(10, "v", DataType.FLOAT_VECTOR, 2, false, false)));

  /** Row 0 holds values, row 1 holds NULL in every nullable column. */
  private static final ColumnBatch ROWS = Batches.of(SCHEMA, 2, List.of(
      new Object[] {1L, 2L},
      new Object[] {5, null},
      new Object[] {9_007_199_254_740_993L, null},
      new Object[] {0.1f, null},
      new Object[] {0.1, null},
      new Object[] {"banana", null},
      new Object[] {true, null},
      new Object[] {(short) 7, null},
      new Object[] {(byte) -3, null},
      new float[] {1, 2, 3, 4}));

  private static final int VALUES = 0;
  private static final int NULLS = 1;

  private static final Expr TRUE = new Expr.Literal(true);
  private static final Expr FALSE = new Expr.Literal(false);
  /** A comparison with NULL: unknown on every row. */
  private static final Expr UNKNOWN = cmp(CompareOp.EQ, col("i"), lit(null));

  @Test
  void comparisonWithNullIsUnknown() {
    for (CompareOp op : CompareOp.values()) {
      assertNull(eval(cmp(op, col("i"), lit(5)), NULLS), op + " with a NULL column");
      assertNull(eval(cmp(op, col("i"), lit(null)), VALUES), op + " with a NULL literal");
      assertNull(eval(cmp(op, lit(null), lit(null)), VALUES), op + " NULL with NULL");
      assertFalse(test(cmp(op, col("i"), lit(5)), NULLS), op + " unknown must not pass");
    }
  }

  @Test
  void notOfUnknownIsUnknown() {
    assertNull(eval(new Expr.Not(UNKNOWN), VALUES));
    assertFalse(test(new Expr.Not(UNKNOWN), VALUES), "NOT unknown must not pass");
    assertFalse(test(new Expr.Not(cmp(CompareOp.EQ, col("i"), lit(5))), NULLS));
    assertTrue(test(new Expr.Not(cmp(CompareOp.EQ, col("i"), lit(6))), VALUES));
    assertFalse(test(new Expr.Not(cmp(CompareOp.EQ, col("i"), lit(5))), VALUES));
  }

  @Test
  void andFollowsThreeValuedLogic() {
    assertEquals(Boolean.FALSE, eval(and(UNKNOWN, FALSE), VALUES), "unknown AND false");
    assertEquals(Boolean.FALSE, eval(and(FALSE, UNKNOWN), VALUES), "false AND unknown");
    assertNull(eval(and(UNKNOWN, TRUE), VALUES), "unknown AND true");
    assertNull(eval(and(TRUE, UNKNOWN), VALUES), "true AND unknown");
    assertNull(eval(and(UNKNOWN, UNKNOWN), VALUES), "unknown AND unknown");
    assertEquals(Boolean.TRUE, eval(and(TRUE, TRUE), VALUES), "true AND true");
    assertEquals(Boolean.TRUE, eval(new Expr.Not(and(UNKNOWN, FALSE)), VALUES),
        "NOT (unknown AND false)");
  }

  @Test
  void orFollowsThreeValuedLogic() {
    assertEquals(Boolean.TRUE, eval(or(UNKNOWN, TRUE), VALUES), "unknown OR true");
    assertEquals(Boolean.TRUE, eval(or(TRUE, UNKNOWN), VALUES), "true OR unknown");
    assertNull(eval(or(UNKNOWN, FALSE), VALUES), "unknown OR false");
    assertNull(eval(or(FALSE, UNKNOWN), VALUES), "false OR unknown");
    assertEquals(Boolean.FALSE, eval(or(FALSE, FALSE), VALUES), "false OR false");
    assertTrue(test(or(UNKNOWN, TRUE), VALUES));
    assertFalse(test(or(UNKNOWN, FALSE), VALUES));
    assertNull(eval(new Expr.Not(or(UNKNOWN, FALSE)), VALUES), "NOT (unknown OR false)");
  }

  @Test
  void isNullAndIsNotNull() {
    for (String column : List.of("i", "l", "f", "d", "s", "flag", "small", "tiny")) {
      assertTrue(test(new Expr.IsNull(col(column)), NULLS), column + " IS NULL on NULL");
      assertFalse(test(new Expr.IsNull(col(column)), VALUES), column + " IS NULL on a value");
      assertFalse(test(new Expr.IsNotNull(col(column)), NULLS), column + " IS NOT NULL on NULL");
      assertTrue(test(new Expr.IsNotNull(col(column)), VALUES), column + " IS NOT NULL on value");
    }
    assertFalse(test(new Expr.IsNull(col("id")), VALUES));
    assertTrue(test(new Expr.IsNull(UNKNOWN), VALUES), "(unknown) IS NULL is true");
    assertFalse(test(new Expr.IsNotNull(UNKNOWN), VALUES));
    assertEquals(Boolean.TRUE, eval(new Expr.IsNull(lit(null)), VALUES));
  }

  @Test
  void booleanColumnIsAPredicate() {
    assertTrue(test(col("flag"), VALUES));
    assertFalse(test(col("flag"), NULLS));
    assertTrue(test(cmp(CompareOp.EQ, col("flag"), lit(true)), VALUES));
    assertFalse(test(cmp(CompareOp.EQ, col("flag"), lit(false)), VALUES));
  }

  @Test
  void integerColumnAgainstEveryNumericLiteralType() {
    // i = 5
    for (Object five : List.of(5, 5L, 5.0, new BigDecimal("5"), new BigDecimal("5.000"), 5.0f,
        (short) 5, (byte) 5)) {
      String what = "i vs " + five.getClass().getSimpleName() + " " + five;
      assertTrue(test(cmp(CompareOp.EQ, col("i"), lit(five)), VALUES), what);
      assertTrue(test(cmp(CompareOp.GE, col("i"), lit(five)), VALUES), what);
      assertTrue(test(cmp(CompareOp.LE, col("i"), lit(five)), VALUES), what);
      assertFalse(test(cmp(CompareOp.NE, col("i"), lit(five)), VALUES), what);
      assertFalse(test(cmp(CompareOp.LT, col("i"), lit(five)), VALUES), what);
      assertFalse(test(cmp(CompareOp.GT, col("i"), lit(five)), VALUES), what);
      // Literal on the left.
      assertTrue(test(cmp(CompareOp.EQ, lit(five), col("i")), VALUES), what + " (swapped)");
    }
    for (Object below : List.of(4, 4L, 4.5, new BigDecimal("4.999999999999999999999"), 4.99f)) {
      String what = "i vs " + below.getClass().getSimpleName() + " " + below;
      assertTrue(test(cmp(CompareOp.GT, col("i"), lit(below)), VALUES), what);
      assertTrue(test(cmp(CompareOp.LT, lit(below), col("i")), VALUES), what + " (swapped)");
      assertFalse(test(cmp(CompareOp.EQ, col("i"), lit(below)), VALUES), what);
      assertTrue(test(cmp(CompareOp.NE, col("i"), lit(below)), VALUES), what);
    }
    for (Object above : List.of(6, 6L, 5.5, new BigDecimal("5.000000000000000000001"), 5.01f)) {
      String what = "i vs " + above.getClass().getSimpleName() + " " + above;
      assertTrue(test(cmp(CompareOp.LT, col("i"), lit(above)), VALUES), what);
      assertFalse(test(cmp(CompareOp.GE, col("i"), lit(above)), VALUES), what);
    }
  }

  @Test
  void bigintComparesExactlyBeyondDoublePrecision() {
    // l = 2^53 + 1, which a double cannot hold.
    assertTrue(test(cmp(CompareOp.GT, col("l"), lit(9_007_199_254_740_992L)), VALUES));
    assertTrue(test(cmp(CompareOp.GT, col("l"), lit(new BigDecimal("9007199254740992"))), VALUES));
    assertTrue(test(cmp(CompareOp.EQ, col("l"), lit(new BigDecimal("9007199254740993"))), VALUES));
    BigDecimal justAbove = new BigDecimal("9007199254740993.5");
    assertTrue(test(cmp(CompareOp.LT, col("l"), lit(justAbove)), VALUES));
    assertTrue(test(cmp(CompareOp.EQ, col("l"), lit(9_007_199_254_740_993L)), VALUES));
  }

  @Test
  void smallIntegerColumnsCompareWithIntLiterals() {
    assertTrue(test(cmp(CompareOp.EQ, col("small"), lit(7)), VALUES));
    assertTrue(test(cmp(CompareOp.LT, col("small"), lit(8L)), VALUES));
    assertTrue(test(cmp(CompareOp.EQ, col("tiny"), lit(-3)), VALUES));
    assertTrue(test(cmp(CompareOp.LT, col("tiny"), lit(new BigDecimal("-2.5"))), VALUES));
    assertTrue(test(cmp(CompareOp.LT, col("tiny"), col("small")), VALUES), "column vs column");
  }

  @Test
  void floatingColumnsAgainstNumericLiterals() {
    // A REAL column compares at REAL precision with exact and REAL literals.
    assertTrue(test(cmp(CompareOp.EQ, col("f"), lit(0.1f)), VALUES));
    assertTrue(test(cmp(CompareOp.EQ, col("f"), lit(new BigDecimal("0.1"))), VALUES));
    assertTrue(test(cmp(CompareOp.GT, col("f"), lit(0)), VALUES));
    assertTrue(test(cmp(CompareOp.LT, col("f"), lit(1L)), VALUES));
    // A DOUBLE column holds 0.1 as a double.
    assertTrue(test(cmp(CompareOp.EQ, col("d"), lit(0.1)), VALUES));
    assertTrue(test(cmp(CompareOp.EQ, col("d"), lit(new BigDecimal("0.1"))), VALUES));
    assertTrue(test(cmp(CompareOp.LT, col("d"), lit(new BigDecimal("0.2"))), VALUES));
    assertTrue(test(cmp(CompareOp.GT, col("d"), lit(0)), VALUES));
    assertTrue(test(cmp(CompareOp.LT, col("d"), lit(1)), VALUES));
    assertTrue(test(cmp(CompareOp.GT, col("d"), lit(-0.5f)), VALUES));
  }

  @Test
  void stringComparison() {
    assertTrue(test(cmp(CompareOp.EQ, col("s"), lit("banana")), VALUES));
    assertTrue(test(cmp(CompareOp.GT, col("s"), lit("apple")), VALUES));
    assertTrue(test(cmp(CompareOp.LT, col("s"), lit("banana split")), VALUES));
    assertTrue(test(cmp(CompareOp.LT, col("s"), lit("cherry")), VALUES));
    assertTrue(test(cmp(CompareOp.NE, col("s"), lit("Banana")), VALUES), "case-sensitive");
    assertFalse(test(cmp(CompareOp.LT, col("s"), lit("banana")), VALUES));
    assertNull(eval(cmp(CompareOp.EQ, col("s"), lit("banana")), NULLS));
  }

  @Test
  void comparingAStringWithANumberIsATypeMismatch() {
    QuiverException e = assertThrows(QuiverException.class,
        () -> test(cmp(CompareOp.EQ, col("s"), lit(1)), VALUES));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, e.code());
  }

  @Test
  void unknownColumnFailsAtCompileTime() {
    QuiverException e = assertThrows(QuiverException.class,
        () -> RowPredicate.compile(cmp(CompareOp.EQ, col("nope"), lit(1)), SCHEMA));
    assertEquals(ErrorCode.UNDEFINED_COLUMN, e.code());
    assertTrue(e.getMessage().contains("nope"), e.getMessage());

    QuiverException nested = assertThrows(QuiverException.class,
        () -> RowPredicate.compile(
            or(TRUE, new Expr.Not(new Expr.IsNull(col("missing")))), SCHEMA));
    assertEquals(ErrorCode.UNDEFINED_COLUMN, nested.code());
    assertTrue(nested.getMessage().contains("missing"), nested.getMessage());
  }

  @Test
  void filteringOnAVectorColumnIsATypeMismatch() {
    QuiverException e = assertThrows(QuiverException.class,
        () -> RowPredicate.compile(new Expr.IsNull(col("v")), SCHEMA));
    assertEquals(ErrorCode.DATATYPE_MISMATCH, e.code());
  }

  @Test
  void noFilterPassesEveryRow() {
    RowPredicate all = RowPredicate.compile(null, SCHEMA);
    assertSame(RowPredicate.ALL, all);
    assertTrue(all.test(ROWS, VALUES));
    assertTrue(all.test(ROWS, NULLS));
  }

  private static boolean test(Expr expr, int row) {
    return RowPredicate.compile(expr, SCHEMA).test(ROWS, row);
  }

  private static Object eval(Expr expr, int row) {
    return RowPredicate.Evaluator.of(expr, SCHEMA).eval(ROWS, row);
  }

  private static Expr col(String name) {
    return new Expr.Column(name);
  }

  private static Expr lit(Object value) {
    return new Expr.Literal(value);
  }

  private static Expr cmp(CompareOp op, Expr left, Expr right) {
    return new Expr.Compare(op, left, right);
  }

  private static Expr and(Expr... terms) {
    return new Expr.And(List.of(terms));
  }

  private static Expr or(Expr... terms) {
    return new Expr.Or(List.of(terms));
  }
}
