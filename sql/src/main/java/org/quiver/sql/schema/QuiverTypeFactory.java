package org.quiver.sql.schema;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;

/**
 * Calcite's type factory over {@link QuiverTypeSystem}, with UTF-8 as the character set of every
 * string type and literal, so that text in any script (and beyond the Basic Multilingual Plane)
 * is a value like any other; Calcite's default, ISO-8859-1, cannot even hold {@code '中'}.
 */
public final class QuiverTypeFactory extends JavaTypeFactoryImpl {
  public QuiverTypeFactory() {
    super(QuiverTypeSystem.INSTANCE);
  }

  @Override
  public Charset getDefaultCharset() {
    return StandardCharsets.UTF_8;
  }
}
