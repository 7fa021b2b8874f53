package org.quiver.engine.api;

import java.nio.file.Path;
import org.quiver.engine.api.status.CheckReport;

/**
 * What opens engines: the engine module registers its implementation as a {@link
 * java.util.ServiceLoader} service, so that callers reach it through {@link Engine#open} alone.
 */
public interface EngineProvider {
  /** Opens an engine over the configuration's data directory. */
  Engine open(QuiverConfig config);

  /** Verifies a data directory that no engine has open. */
  CheckReport check(Path dataDirectory);
}
