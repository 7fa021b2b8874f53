package org.quiver.sql.prepare;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;

/**
 * The limits on a statement's size and shape that keep a hostile statement from exhausting the
 * stack or the heap of the process that plans it: its length, how deeply its expressions nest
 * and how long an IN list or a VALUES clause is. Each fails with 54000 or 54001 naming the limit
 * (docs/errors.md lists them). The checks walk the text and the tree without recursion.
 */
public final class StatementLimits {
  /** Characters of a statement's text at most. */
  public static final int MAX_STATEMENT_CHARS = 8 << 20;
  /** Levels of nested parentheses, brackets and expressions at most. */
  public static final int MAX_NESTING = 256;
  /** Values of one IN list, or rows of one VALUES clause, at most. */
  public static final int MAX_LIST_ITEMS = 1000;

  private StatementLimits() {}

  /**
   * Checks the text before it is parsed: its length, and its nesting of parentheses and
   * brackets outside quotes and comments (Calcite's parser recurses once per level).
   */
  public static void checkText(String sql) {
    if (sql.length() > MAX_STATEMENT_CHARS) {
      throw QuiverException.of(ErrorCode.PROGRAM_LIMIT_EXCEEDED,
          "statement too long: %d characters, at most %d are allowed; load large data with "
              + "prepared statements, batches or COPY", sql.length(), MAX_STATEMENT_CHARS);
    }
    int depth = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = sql.indexOf(c, i + 1);
        i = end < 0 ? sql.length() : end;
      } else if (c == '-' && sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end;
      } else if (c == '/' && sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 1;
      } else if (c == '(' || c == '[') {
        if (++depth > MAX_NESTING) {
          throw tooDeep();
        }
      } else if ((c == ')' || c == ']') && depth > 0) {
        depth--;
      }
    }
  }

  /**
   * Checks the parsed statement: the depth of its tree (a sum of a thousand terms is a thousand
   * levels deep without a parenthesis) and the length of its IN lists and VALUES clauses.
   */
  public static void checkTree(SqlNode statement) {
    Deque<SqlNode> nodes = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    nodes.push(statement);
    depths.push(1);
    while (!nodes.isEmpty()) {
      SqlNode node = nodes.pop();
      int depth = depths.pop();
      if (depth > MAX_NESTING) {
        throw tooDeep();
      }
      if (node instanceof SqlNodeList list) {
        for (SqlNode child : list) {
          push(nodes, depths, child, depth + 1);
        }
      } else if (node instanceof SqlCall call) {
        checkList(call);
        for (SqlNode child : call.getOperandList()) {
          push(nodes, depths, child, depth + 1);
        }
      }
    }
  }

  private static void push(Deque<SqlNode> nodes, Deque<Integer> depths, SqlNode node,
      int depth) {
    if (node != null) {
      nodes.push(node);
      depths.push(depth);
    }
  }

  private static void checkList(SqlCall call) {
    if ((call.getKind() == SqlKind.IN || call.getKind() == SqlKind.NOT_IN)
        && call.operandCount() == 2 && call.operand(1) instanceof SqlNodeList list
        && list.size() > MAX_LIST_ITEMS) {
      throw QuiverException.of(ErrorCode.PROGRAM_LIMIT_EXCEEDED,
          "IN list too long: %d values, at most %d are allowed; put the values in a table and "
              + "join, or use a prepared statement per batch", list.size(), MAX_LIST_ITEMS);
    }
    if (call.getKind() == SqlKind.VALUES && call.operandCount() > MAX_LIST_ITEMS) {
      throw QuiverException.of(ErrorCode.PROGRAM_LIMIT_EXCEEDED,
          "VALUES too long: %d rows, at most %d are allowed in one statement; insert more rows "
              + "with a JDBC batch or COPY", call.operandCount(), MAX_LIST_ITEMS);
    }
  }

  private static QuiverException tooDeep() {
    return QuiverException.of(ErrorCode.STATEMENT_TOO_COMPLEX,
        "statement too complex: its expressions nest more than %d levels deep", MAX_NESTING);
  }
}
