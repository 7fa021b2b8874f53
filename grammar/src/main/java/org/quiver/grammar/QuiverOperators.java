package org.quiver.grammar;

import org.quiver.grammar.ast.SqlDistanceOperator;
import org.quiver.grammar.ast.SqlInfixCastOperator;

/**
 * The operators that Quiver's grammar adds to Calcite's: pgvector's distance operators and
 * PostgreSQL's {@code ::} cast.
 */
public final class QuiverOperators {

  /** {@code a <-> b}: Euclidean (L2) distance. */
  public static final SqlDistanceOperator L2_DISTANCE =
      new SqlDistanceOperator("<->", QuiverNames.L2_DISTANCE_FUNCTION);

  /** {@code a <=> b}: cosine distance. */
  public static final SqlDistanceOperator COSINE_DISTANCE =
      new SqlDistanceOperator("<=>", QuiverNames.COSINE_DISTANCE_FUNCTION);

  /** {@code a <#> b}: the negated inner product, so that smaller means closer as for the others. */
  public static final SqlDistanceOperator NEGATIVE_INNER_PRODUCT =
      new SqlDistanceOperator("<#>", QuiverNames.NEGATIVE_INNER_PRODUCT_FUNCTION);

  /** {@code a <+> b}: taxicab (L1) distance. */
  public static final SqlDistanceOperator L1_DISTANCE =
      new SqlDistanceOperator("<+>", QuiverNames.L1_DISTANCE_FUNCTION);

  /** {@code a <~> b}: Hamming distance of two bit strings, as pgvector's. */
  public static final SqlDistanceOperator HAMMING_DISTANCE =
      new SqlDistanceOperator("<~>", QuiverNames.HAMMING_DISTANCE_FUNCTION);

  /** {@code a <%> b}: Jaccard distance of two bit strings, as pgvector's. */
  public static final SqlDistanceOperator JACCARD_DISTANCE =
      new SqlDistanceOperator("<%>", QuiverNames.JACCARD_DISTANCE_FUNCTION);

  /** {@code x::type}: parsed into {@code CAST(x AS type)}. */
  public static final SqlInfixCastOperator INFIX_CAST = new SqlInfixCastOperator();

  private QuiverOperators() {
  }
}
