package org.quiver.sql.type;

import static org.apache.calcite.util.Static.RESOURCE;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AggregateFunctionImpl;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.fun.SqlCastFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedAggFunction;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.util.Optionality;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.quiver.grammar.ast.SqlVectorTypeNameSpec;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.grammar.type.BitSqlType;
import org.quiver.grammar.type.SparsevecSqlType;
import org.quiver.grammar.type.VectorSqlType;
import org.quiver.sql.function.SparseFunctions;
import org.quiver.sql.function.VectorAggregates;
import org.quiver.sql.function.VectorFunctions;
import org.quiver.sql.schema.SqlTypes;

/**
 * The operators vectors overload: {@code +}, {@code -}, {@code *} and {@code ||} of two vectors,
 * {@code SUM} and {@code AVG} of vectors, casts between vectors and arrays, and the vector
 * functions that return vectors ({@code l2_normalize}, {@code subvector}). The parser gives
 * every {@code +} Calcite's operator, whose operand types do not include vectors; {@link
 * VectorValidator} puts these in their place when an operand is a vector, before the call is typed.
 */
public final class VectorOperators {
  /** {@code a + b}, element by element. */
  public static final SqlUserDefinedFunction ADD =
      arithmetic("vector_add", "add", VectorOperators::sameDimension);
  /** {@code a - b}, element by element. */
  public static final SqlUserDefinedFunction SUBTRACT =
      arithmetic("vector_sub", "subtract", VectorOperators::sameDimension);
  /** {@code a * b}, element by element. */
  public static final SqlUserDefinedFunction MULTIPLY =
      arithmetic("vector_mul", "multiply", VectorOperators::sameDimension);
  /** {@code a || b}: a's elements, then b's. */
  public static final SqlUserDefinedFunction CONCAT =
      arithmetic("vector_concat", "concat", VectorOperators::summedDimension);
  /** {@code l2_normalize(v)}: v over its length, of v's type. */
  public static final SqlUserDefinedFunction L2_NORMALIZE = function("l2_normalize",
      "l2Normalize", 1, binding -> vectorType(binding, dimension(binding.getOperandType(0))));
  /** {@code subvector(v, start, count)}: a vector whose dimension the values decide. */
  public static final SqlUserDefinedFunction SUBVECTOR = function("subvector", "subvector", 3,
      binding -> vectorType(binding, SqlVectorTypeNameSpec.ANY_DIMENSION));
  /**
   * {@code binary_quantize(v)}: a {@code BIT(n)} of a vector of dimension n, as pgvector's; {@code
   * BIT} when the dimension is the value's.
   */
  public static final SqlUserDefinedFunction BINARY_QUANTIZE = function("binary_quantize",
      "binaryQuantize", 1, binding -> binding.getTypeFactory().createTypeWithNullability(
          BitSqlType.of(binding.getTypeFactory(), dimension(binding.getOperandType(0))),
          binding.getOperandType(0).isNullable()));
  /** {@code l2_normalize(s)} of a sparse vector: a sparse vector of s's type. */
  public static final SqlUserDefinedFunction SPARSE_L2_NORMALIZE = new SqlUserDefinedFunction(
      new SqlIdentifier("l2_normalize", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
      ReturnTypes.ARG0, InferTypes.FIRST_KNOWN, null,
      ScalarFunctionImpl.create(SparseFunctions.class, "l2Normalize")) {
    @Override public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope,
        SqlCall call) {
      return typeChosenCall(this, validator, scope, call);
    }

    @Override public SqlOperandCountRange getOperandCountRange() {
      return SqlOperandCountRanges.of(1);
    }

    @Override public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      return binding.getOperandType(0) instanceof SparsevecSqlType;
    }

    @Override public boolean isDeterministic() {
      return false;
    }
  };
  /** What the functions that return vectors take, as their errors name it. */
  private static final List<String> INTEGER_OPERANDS =
      List.of("", ", integer", ", integer, integer");
  /** {@code SUM(v)} of vectors. */
  public static final SqlUserDefinedAggFunction SUM =
      new VectorAggregate("sum", VectorAggregates.Sum.class);
  /** {@code AVG(v)} of vectors. */
  public static final SqlUserDefinedAggFunction AVG =
      new VectorAggregate("avg", VectorAggregates.Average.class);
  /** {@code CAST} from a numeric array to a vector, or from a vector to {@code REAL ARRAY}. */
  public static final SqlCastFunction ARRAY_CAST = new ArrayCast();

  /** The vector functions that return vectors, by name: they replace the schema's functions. */
  private static final Map<String, SqlOperator> FUNCTIONS = Map.of(
      L2_NORMALIZE.getName(), L2_NORMALIZE,
      SUBVECTOR.getName(), SUBVECTOR,
      BINARY_QUANTIZE.getName(), BINARY_QUANTIZE);

  /** Calcite's operators, each with the overload for vectors; CAST is decided apart. */
  private static final Map<SqlOperator, SqlOperator> OVERLOADS = Map.of(
      SqlStdOperatorTable.PLUS, ADD,
      SqlStdOperatorTable.MINUS, SUBTRACT,
      SqlStdOperatorTable.MULTIPLY, MULTIPLY,
      SqlStdOperatorTable.CONCAT, CONCAT,
      SqlStdOperatorTable.SUM, SUM,
      SqlStdOperatorTable.AVG, AVG);

  private VectorOperators() {}

  /**
   * Whether {@code operator} is one of Calcite's that vectors overload, or a call of a vector
   * function that returns a vector. The schema holds those functions as Java methods, whose
   * return type Calcite takes from the method; the overload gives the call its vector type.
   */
  static boolean isOverloaded(SqlOperator operator) {
    return operator == SqlStdOperatorTable.CAST || OVERLOADS.containsKey(operator)
        || isVectorFunction(operator);
  }

  private static boolean isVectorFunction(SqlOperator operator) {
    SqlOperator vector = FUNCTIONS.get(operator.getName());
    return vector != null && vector != operator && operator != SPARSE_L2_NORMALIZE
        && operator instanceof SqlFunction function
        && function.getFunctionType() == SqlFunctionCategory.USER_DEFINED_FUNCTION;
  }

  /**
   * The overload of {@code operator} for operands of these types, or null when Calcite's own
   * operator applies: the binary operators take two vectors, or a vector and text (the text is
   * cast to the vector's type); the aggregates a vector; the cast a vector and an array.
   */
  static @Nullable SqlOperator overload(SqlOperator operator, List<RelDataType> operandTypes) {
    if (operator == SqlStdOperatorTable.CAST) {
      RelDataType from = operandTypes.get(0);
      RelDataType to = operandTypes.get(1);
      boolean arrayToVector = (to instanceof VectorSqlType || to instanceof SparsevecSqlType)
          && isArray(from);
      boolean vectorToArray = from instanceof VectorSqlType && isArray(to);
      return arrayToVector || vectorToArray ? ARRAY_CAST : null;
    }
    if (isVectorFunction(operator)) {
      if (operator.getName().equals(L2_NORMALIZE.getName()) && !operandTypes.isEmpty()
          && operandTypes.get(0) instanceof SparsevecSqlType) {
        return SPARSE_L2_NORMALIZE;
      }
      return FUNCTIONS.get(operator.getName());
    }
    SqlOperator vector = OVERLOADS.get(operator);
    if (vector == null || operandTypes.stream().noneMatch(t -> t instanceof VectorSqlType)) {
      return null;
    }
    boolean takesThem = operandTypes.stream()
        .allMatch(t -> t instanceof VectorSqlType || SqlTypeUtil.isCharacter(t));
    return takesThem ? vector : null;
  }

  private static boolean isArray(RelDataType type) {
    return type.getSqlTypeName() == SqlTypeName.ARRAY;
  }

  /** How a vector function checks its operands' types (Calcite's checkOperandTypes). */
  @FunctionalInterface
  private interface OperandCheck {
    boolean check(SqlCallBinding binding, boolean throwOnFailure);
  }

  /** An element-wise operator on two vectors (or text that stands for them). */
  private static SqlUserDefinedFunction arithmetic(String name, String method,
      SqlReturnTypeInference returnType) {
    return vectorFunction(name, method, 2, returnType, (binding, throwOnFailure) -> {
      if (binding.getValidator().getTypeCoercion() instanceof VectorTypeCoercion coercion) {
        coercion.textToVector(binding);
      }
      return vectorsOnly(binding, throwOnFailure);
    });
  }

  /**
   * A vector function of {@code operandCount} operands: the first a vector (or text that stands
   * for one), the others integers.
   */
  private static SqlUserDefinedFunction function(String name, String method, int operandCount,
      SqlReturnTypeInference returnType) {
    return vectorFunction(name, method, operandCount, returnType, (binding, throwOnFailure) -> {
      RelDataType vector = binding.getOperandType(0);
      boolean fits = vector instanceof VectorSqlType || SqlTypeUtil.isCharacter(vector)
          || vector.getSqlTypeName() == SqlTypeName.NULL;
      for (int i = 1; i < operandCount; i++) {
        RelDataType type = binding.getOperandType(i);
        fits &= SqlTypeUtil.isExactNumeric(type) || type.getSqlTypeName() == SqlTypeName.NULL;
      }
      if (!fits && throwOnFailure) {
        throw QuiverException.of(ErrorCode.UNDEFINED_FUNCTION,
            "no function %s(%s): %s takes (vector%s)", name,
            binding.collectOperandTypes().stream().map(RelDataType::getFullTypeString)
                .collect(Collectors.joining(", ")),
            name, INTEGER_OPERANDS.get(operandCount - 1));
      }
      return fits;
    });
  }

  /**
   * A function of {@code operandCount} operands implemented by {@code method} of {@link
   * VectorFunctions}, typed as the validator chose it, its operands checked by {@code check}.
   */
  private static SqlUserDefinedFunction vectorFunction(String name, String method,
      int operandCount, SqlReturnTypeInference returnType, OperandCheck check) {
    return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION, returnType, InferTypes.FIRST_KNOWN, null,
        ScalarFunctionImpl.create(VectorFunctions.class, method)) {
      @Override public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope,
          SqlCall call) {
        return typeChosenCall(this, validator, scope, call);
      }

      @Override public SqlOperandCountRange getOperandCountRange() {
        return SqlOperandCountRanges.of(operandCount);
      }

      @Override public boolean checkOperandTypes(SqlCallBinding binding,
          boolean throwOnFailure) {
        return check.check(binding, throwOnFailure);
      }

      // Not deterministic for the planner: a call on constants must not be folded into a
      // literal, which Calcite cannot make of a vector.
      @Override public boolean isDeterministic() {
        return false;
      }
    };
  }

  /**
   * Types a call whose operator the validator chose: Calcite's typing would look the operator up
   * by name again and find its own.
   */
  private static RelDataType typeChosenCall(SqlOperator operator, SqlValidator validator,
      SqlValidatorScope scope, SqlCall call) {
    SqlValidatorScope operandScope = operator.isAggregator() ? scope.getOperandScope(call)
        : scope;
    for (SqlNode operand : call.getOperandList()) {
      validator.deriveType(operandScope, operand);
    }
    return operator.validateOperands(validator, operandScope, call);
  }

  /** Whether every operand is a vector, all of one kind (pgvector has no halfvec + vector). */
  private static boolean vectorsOnly(SqlCallBinding binding, boolean throwOnFailure) {
    for (int i = 0; i < binding.getOperandCount(); i++) {
      if (!(binding.getOperandType(i) instanceof VectorSqlType v)
          || v.kind() != kind(binding)) {
        if (throwOnFailure) {
          throw QuiverException.of(ErrorCode.UNDEFINED_FUNCTION,
              "no %s for %s: it takes vectors of one type (a cast turns one into the other)",
              binding.getOperator().getName(), binding.collectOperandTypes().stream()
                  .map(RelDataType::getFullTypeString).collect(Collectors.joining(", ")));
        }
        return false;
      }
    }
    return true;
  }

  /** Both operands' dimension, or any dimension where one is unknown or they differ. */
  private static RelDataType sameDimension(SqlOperatorBinding binding) {
    int a = dimension(binding.getOperandType(0));
    int b = dimension(binding.getOperandType(1));
    int dimension = a == SqlVectorTypeNameSpec.ANY_DIMENSION ? b
        : b == SqlVectorTypeNameSpec.ANY_DIMENSION || a == b ? a
        : SqlVectorTypeNameSpec.ANY_DIMENSION;
    return vectorType(binding, dimension);
  }

  /** The sum of both operands' dimensions, or any dimension where one is unknown or too many. */
  private static RelDataType summedDimension(SqlOperatorBinding binding) {
    int a = dimension(binding.getOperandType(0));
    int b = dimension(binding.getOperandType(1));
    boolean known = a != SqlVectorTypeNameSpec.ANY_DIMENSION
        && b != SqlVectorTypeNameSpec.ANY_DIMENSION
        && a + b <= SqlTypes.maxDimension(kind(binding));
    return vectorType(binding, known ? a + b : SqlVectorTypeNameSpec.ANY_DIMENSION);
  }

  private static int dimension(RelDataType type) {
    return type instanceof VectorSqlType vector ? vector.dimension()
        : SqlVectorTypeNameSpec.ANY_DIMENSION;
  }

  /** A vector of the operands' kind (see {@link #kind}) and {@code dimension}. */
  private static RelDataType vectorType(SqlOperatorBinding binding, int dimension) {
    RelDataTypeFactory factory = binding.getTypeFactory();
    boolean nullable = binding.collectOperandTypes().stream().anyMatch(RelDataType::isNullable);
    return factory.createTypeWithNullability(
        VectorSqlType.of(factory, kind(binding), dimension), nullable);
  }

  /** The kind of the first operand that is a vector; VECTOR when none is (text stands for one). */
  private static VectorSqlType.Kind kind(SqlOperatorBinding binding) {
    for (RelDataType type : binding.collectOperandTypes()) {
      if (type instanceof VectorSqlType vector) {
        return vector.kind();
      }
    }
    return VectorSqlType.Kind.VECTOR;
  }

  /** SUM or AVG of vectors: of the vector's type, NULL when no row has a vector. */
  private static final class VectorAggregate extends SqlUserDefinedAggFunction {
    VectorAggregate(String name, Class<?> implementation) {
      super(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
          ReturnTypes.ARG0_FORCE_NULLABLE, InferTypes.FIRST_KNOWN, null,
          AggregateFunctionImpl.create(implementation), false, false, Optionality.FORBIDDEN);
    }

    @Override public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope,
        SqlCall call) {
      return typeChosenCall(this, validator, scope, call);
    }

    @Override public SqlOperandCountRange getOperandCountRange() {
      return SqlOperandCountRanges.of(1);
    }

    @Override public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      return vectorsOnly(binding, throwOnFailure);
    }
  }

  /**
   * CAST between vectors and arrays, which Calcite's CAST refuses (it casts an array only to an
   * array). Numeric arrays become vectors, vectors {@code REAL ARRAY}s, as in pgvector.
   */
  private static final class ArrayCast extends SqlCastFunction {
    @Override public RelDataType deriveType(SqlValidator validator, SqlValidatorScope scope,
        SqlCall call) {
      return typeChosenCall(this, validator, scope, call);
    }

    @Override public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      RelDataType from = binding.getOperandType(0);
      RelDataType to = binding.getOperandType(1);
      RelDataType elements = from instanceof VectorSqlType ? to.getComponentType()
          : from.getComponentType();
      boolean castable = elements != null && (from instanceof VectorSqlType
          ? elements.getSqlTypeName() == SqlTypeName.REAL
          : SqlTypeUtil.isNumeric(elements) || elements.getSqlTypeName() == SqlTypeName.NULL);
      if (!castable && throwOnFailure) {
        throw binding.newError(RESOURCE.cannotCastValue(from.getFullTypeString(),
            to.getFullTypeString()));
      }
      return castable;
    }

    @Override public RelDataType inferReturnType(SqlOperatorBinding binding) {
      return binding.getTypeFactory().createTypeWithNullability(binding.getOperandType(1),
          binding.getOperandType(0).isNullable());
    }
  }
}
