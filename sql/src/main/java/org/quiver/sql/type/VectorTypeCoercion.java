package org.quiver.sql.type;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.google.common.collect.ImmutableSet;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlTypeNameSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeCoercionRule;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.sql.validate.implicit.TypeCoercionImpl;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.quiver.grammar.ast.SqlBitTypeNameSpec;
import org.quiver.grammar.ast.SqlSparsevecTypeNameSpec;
import org.quiver.grammar.ast.SqlVectorTypeNameSpec;
import org.quiver.grammar.type.BitSqlType;
import org.quiver.grammar.type.SparsevecSqlType;
import org.quiver.grammar.type.VectorSqlType;

/**
 * Calcite's implicit type coercion, plus one rule of Quiver's: text where a vector or a bit string
 * is expected (a comparison with one, a value for such a column) is cast to that type, so {@code v
 * = '[1,2]'} compares vectors and {@code b = '101'} bit strings, not strings.
 */
public final class VectorTypeCoercion extends TypeCoercionImpl {

  /**
   * Calcite's cast rules, plus casts between text and vectors (VECTOR reports type OTHER); casts
   * between vectors and arrays are {@link VectorOperators#ARRAY_CAST}'s.
   */
  public static final SqlTypeCoercionRule RULES = rules();

  public VectorTypeCoercion(RelDataTypeFactory typeFactory, SqlValidator validator) {
    super(typeFactory, validator);
  }

  /** The validator configuration that applies these rules. */
  public static SqlValidator.Config configure(SqlValidator.Config config) {
    return config.withTypeCoercionFactory(VectorTypeCoercion::new).withTypeCoercionRules(RULES);
  }

  /** Whether the coercion at hand is of an INSERT's or UPSERT's values to the table's columns. */
  private boolean columnWrite;

  @Override public boolean querySourceCoercion(@Nullable SqlValidatorScope scope,
      RelDataType sourceRowType, RelDataType targetRowType, SqlNode query) {
    columnWrite = true;
    try {
      return super.querySourceCoercion(scope, sourceRowType, targetRowType, query);
    } finally {
      columnWrite = false;
    }
  }

  /**
   * Casts the text values of the rows of {@code query}, a VALUES clause written into a table (or
   * the INSERT or UPSERT that writes it), to the vector or bit type of their columns, as {@link
   * #querySourceCoercion} does, in the columns whose rows' common type already is a vector or bit
   * type: in {@code VALUES ('101'), (NULL)} the NULL takes the column's type, so the clause has it
   * too and Calcite's validator would cast nothing, leaving text where the column's type is
   * declared. Columns whose common type is text are left to Calcite's coercion.
   */
  public void textToColumns(@Nullable SqlValidatorScope scope, RelDataType sourceRowType,
      RelDataType targetRowType, SqlNode query) {
    if (query instanceof SqlInsert insert) {
      query = insert.getSource();
    }
    if (scope == null || query.getKind() != SqlKind.VALUES) {
      return;
    }
    List<RelDataTypeField> targets = targetRowType.getFieldList();
    List<RelDataTypeField> sources = sourceRowType.getFieldList();
    columnWrite = true;
    try {
      for (SqlNode row : ((SqlCall) query).getOperandList()) {
        if (!(row instanceof SqlCall values) || values.getKind() != SqlKind.ROW) {
          continue;
        }
        for (int i = 0; i < values.operandCount() && i < targets.size()
            && i < sources.size(); i++) {
          RelDataType target = targets.get(i).getType();
          RelDataType source = sources.get(i).getType();
          SqlNode operand = values.operand(i);
          if (isOwnType(target) && isOwnType(source) && isText(scope, operand)) {
            values.setOperand(i, castTo(scope, operand, target));
          }
        }
      }
    } finally {
      columnWrite = false;
    }
  }

  /**
   * Gives every element of {@code array}, an ARRAY constructor with a vector, bit or sparse vector
   * element, that element's type: text and NULL are cast to it as a comparison casts them (in
   * {@code ARRAY['[1,2]'::vector, '[3,4]', NULL]} every element is a vector), and with a NULL
   * among them every element is cast to the nullable type. Calcite would cast any element whose
   * type differs from the array's element type itself, through a type name it cannot write for
   * Quiver's types (an internal error).
   */
  public void textToElementType(SqlValidatorScope scope, SqlCall array) {
    RelDataType element = null;
    boolean nullable = false;
    for (SqlNode operand : array.getOperandList()) {
      RelDataType type = validator.deriveType(scope, operand);
      nullable |= type.isNullable();
      if (element == null && isOwnType(type)) {
        element = type;
      }
    }
    if (element == null) {
      return;
    }
    RelDataType target = factory.createTypeWithNullability(element, nullable);
    for (int i = 0; i < array.operandCount(); i++) {
      SqlNode operand = array.operand(i);
      RelDataType type = validator.deriveType(scope, operand);
      boolean castable = isText(scope, operand) || SqlUtil.isNullLiteral(operand, false)
          || type.getClass() == element.getClass();
      if (castable && !type.equalsSansFieldNames(target)) {
        SqlParserPos pos = operand.getParserPosition();
        SqlNode cast = SqlStdOperatorTable.CAST.createCall(pos, operand,
            typeSpec(target, pos).withNullable(nullable));
        updateInferredType(cast, target);
        array.setOperand(i, cast);
      }
    }
  }

  /** The type name of {@code own}, a vector, bit or sparse vector type, for a CAST. */
  private static SqlDataTypeSpec typeSpec(RelDataType own, SqlParserPos pos) {
    SqlTypeNameSpec name = own instanceof VectorSqlType vector
        ? new SqlVectorTypeNameSpec(vector.kind(), vector.dimension(), pos)
        : own instanceof SparsevecSqlType sparse
            ? new SqlSparsevecTypeNameSpec(sparse.dimension(), pos)
            : new SqlBitTypeNameSpec(((BitSqlType) own).length(), pos);
    return new SqlDataTypeSpec(name, pos);
  }

  @Override public boolean binaryComparisonCoercion(SqlCallBinding binding) {
    return textToVector(binding) || textToBit(binding) || textToSparsevec(binding)
        || super.binaryComparisonCoercion(binding);
  }

  /** Whether {@code type} is one of Quiver's: a vector, a bit string or a sparse vector. */
  private static boolean isOwnType(RelDataType type) {
    return type instanceof VectorSqlType || type instanceof BitSqlType
        || type instanceof SparsevecSqlType;
  }

  /**
   * Casts the text operand of a comparison whose other operand is a sparse vector to {@code
   * SPARSEVEC}, of the text's own dimension ({@code s = '{}/2'} is false for a {@code
   * SPARSEVEC(3)}, as in pgvector, not an error); whether it did.
   */
  private boolean textToSparsevec(SqlCallBinding binding) {
    if (binding.getOperandCount() == 2) {
      RelDataType left = binding.getOperandType(0);
      RelDataType right = binding.getOperandType(1);
      RelDataType anyDimension = SparsevecSqlType.of(factory, SparsevecSqlType.ANY_DIMENSION);
      if (left instanceof SparsevecSqlType && SqlTypeUtil.isCharacter(right)) {
        return coerceOperandType(binding.getScope(), binding.getCall(), 1, anyDimension);
      }
      if (right instanceof SparsevecSqlType && SqlTypeUtil.isCharacter(left)) {
        return coerceOperandType(binding.getScope(), binding.getCall(), 0, anyDimension);
      }
    }
    return false;
  }

  /**
   * Casts the text operand of a comparison whose other operand is a bit string to {@code BIT}, of
   * the text's own length as in PostgreSQL ({@code b = '10'} is false for a {@code BIT(3)}, not an
   * error); whether it did.
   */
  private boolean textToBit(SqlCallBinding binding) {
    if (binding.getOperandCount() == 2) {
      RelDataType left = binding.getOperandType(0);
      RelDataType right = binding.getOperandType(1);
      RelDataType anyLength = BitSqlType.of(factory, BitSqlType.ANY_LENGTH);
      if (left instanceof BitSqlType && SqlTypeUtil.isCharacter(right)) {
        return coerceOperandType(binding.getScope(), binding.getCall(), 1, anyLength);
      }
      if (right instanceof BitSqlType && SqlTypeUtil.isCharacter(left)) {
        return coerceOperandType(binding.getScope(), binding.getCall(), 0, anyLength);
      }
    }
    return false;
  }

  /**
   * Casts the text operand of a binary call whose other operand is a vector to that vector's
   * type (a comparison, or vector arithmetic); whether it did.
   */
  public boolean textToVector(SqlCallBinding binding) {
    if (binding.getOperandCount() == 2) {
      RelDataType left = binding.getOperandType(0);
      RelDataType right = binding.getOperandType(1);
      if (left instanceof VectorSqlType && SqlTypeUtil.isCharacter(right)) {
        return coerceOperandType(binding.getScope(), binding.getCall(), 1, left);
      }
      if (right instanceof VectorSqlType && SqlTypeUtil.isCharacter(left)) {
        return coerceOperandType(binding.getScope(), binding.getCall(), 0, right);
      }
    }
    return false;
  }

  @Override protected boolean coerceOperandType(@Nullable SqlValidatorScope scope, SqlCall call,
      int index, RelDataType targetType) {
    if (!isOwnType(targetType)) {
      return super.coerceOperandType(scope, call, index, targetType);
    }
    SqlNode operand = call.getOperandList().get(index);
    if (scope == null || !isText(scope, operand)) {
      return false;
    }
    call.setOperand(index, castTo(scope, operand, targetType));
    return true;
  }

  @Override protected boolean coerceColumnType(@Nullable SqlValidatorScope scope,
      SqlNodeList nodeList, int index, RelDataType targetType) {
    if (!isOwnType(targetType)) {
      return super.coerceColumnType(scope, nodeList, index, targetType);
    }
    if (scope == null || index >= nodeList.size()) {
      return false;
    }
    SqlNode node = nodeList.get(index);
    if (node instanceof SqlCall as && as.getKind() == SqlKind.AS) {
      if (!isText(scope, as.operand(0))) {
        return false;
      }
      as.setOperand(0, castTo(scope, as.operand(0), targetType));
      return true;
    }
    if (!isText(scope, node)) {
      return false;
    }
    nodeList.set(index, castTo(scope, node, targetType));
    return true;
  }

  /**
   * The cast of text to {@code target}, one of Quiver's types: as a value for a column, the
   * column write's check (which names the column and row); else a CAST.
   */
  private SqlNode castTo(SqlValidatorScope scope, SqlNode node, RelDataType target) {
    SqlParserPos pos = node.getParserPosition();
    RelDataType type = factory.createTypeWithNullability(target,
        validator.deriveType(scope, node).isNullable());
    SqlNode cast = columnWrite
        ? columnWriteCheck(target).createCall(pos, node,
            SqlLiteral.createExactNumeric(Integer.toString(size(target)), pos))
        : SqlStdOperatorTable.CAST.createCall(pos, node,
            typeSpec(target, pos).withNullable(type.isNullable()));
    updateInferredType(cast, type);
    return cast;
  }

  /** The function a column's write checks a value of {@code own}, one of Quiver's types, by. */
  private static SqlOperator columnWriteCheck(RelDataType own) {
    return own instanceof VectorSqlType vector ? VectorCasts.columnWrite(vector.kind())
        : own instanceof SparsevecSqlType ? SparsevecCasts.FOR_COLUMN : BitCasts.FOR_COLUMN;
  }

  /** The declared size of {@code own}: a vector's dimension, or a bit string's length. */
  private static int size(RelDataType own) {
    return own instanceof VectorSqlType vector ? vector.dimension()
        : own instanceof SparsevecSqlType sparse ? sparse.dimension()
        : ((BitSqlType) own).length();
  }

  private boolean isText(SqlValidatorScope scope, SqlNode node) {
    return !(node instanceof SqlDynamicParam)
        && SqlTypeUtil.isCharacter(validator.deriveType(scope, node));
  }

  private static SqlTypeCoercionRule rules() {
    Map<SqlTypeName, ImmutableSet<SqlTypeName>> mapping =
        new HashMap<>(SqlTypeCoercionRule.instance().getTypeMapping());
    mapping.put(SqlTypeName.OTHER, ImmutableSet.of(SqlTypeName.OTHER, SqlTypeName.CHAR,
        SqlTypeName.VARCHAR, SqlTypeName.NULL));
    for (SqlTypeName text : new SqlTypeName[] {SqlTypeName.CHAR, SqlTypeName.VARCHAR}) {
      Set<SqlTypeName> from = new HashSet<>(mapping.get(text));
      from.add(SqlTypeName.OTHER);
      mapping.put(text, ImmutableSet.copyOf(from));
    }
    return SqlTypeCoercionRule.instance(mapping);
  }
}
