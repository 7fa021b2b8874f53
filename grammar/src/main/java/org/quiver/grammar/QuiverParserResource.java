package org.quiver.grammar;

import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.runtime.Resources;
import org.apache.calcite.runtime.Resources.BaseMessage;
import org.apache.calcite.runtime.Resources.ExInst;

/** Messages of the syntax errors that Quiver's productions raise beyond JavaCC's own. */
public interface QuiverParserResource {

  /** The instance the generated parser uses; messages come from the annotations. */
  QuiverParserResource INSTANCE = Resources.create(QuiverParserResource.class);

  @BaseMessage("CREATE OR REPLACE TABLE is not supported")
  ExInst<CalciteException> createOrReplaceTableNotSupported();

  @BaseMessage("CREATE OR REPLACE {0} is not supported")
  ExInst<CalciteException> createOrReplaceNotSupported(String object);
}
