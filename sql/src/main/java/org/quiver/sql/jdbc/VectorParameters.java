package org.quiver.sql.jdbc;

import java.util.HashMap;
import java.util.Map;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.quiver.jdbc.VectorText;

/**
 * An execution's context in which a {@code float[]} parameter, bound through the embedded driver,
 * stays an array for the operators that take one (a vector search's query) and reads as vector
 * text for everything else, which knows vectors by their text type.
 *
 * <p>Without it the driver would format every query vector as text and the search would parse
 * it back, on every execution of a prepared search, in one JVM: for arbitrary floats that round
 * trip costs more than the rest of the SQL path. The text is made only if something asks for it.
 */
public final class VectorParameters implements DataContext {
  private final DataContext context;
  /** The text of each array parameter that was asked for as a value; executions are one thread. */
  private final Map<String, String> texts = new HashMap<>(4);

  private VectorParameters(DataContext context) {
    this.context = context;
  }

  public static DataContext wrap(DataContext context) {
    return new VectorParameters(context);
  }

  /**
   * Parameter {@code index} as the array it was bound as (a copy: the search may keep or change
   * it), or null when it was bound some other way, such as text or through a remote driver.
   */
  public static float[] vector(DataContext context, int index) {
    if (context instanceof VectorParameters p
        && p.context.get("?" + index) instanceof float[] vector) {
      return vector.clone();
    }
    return null;
  }

  @Override
  public @Nullable Object get(String name) {
    Object value = context.get(name);
    if (value instanceof float[] vector) {
      return texts.computeIfAbsent(name, n -> VectorText.formatRemembered(vector));
    }
    return value;
  }

  @Override
  public @Nullable SchemaPlus getRootSchema() {
    return context.getRootSchema();
  }

  @Override
  public JavaTypeFactory getTypeFactory() {
    return context.getTypeFactory();
  }

  @Override
  public QueryProvider getQueryProvider() {
    return context.getQueryProvider();
  }
}
