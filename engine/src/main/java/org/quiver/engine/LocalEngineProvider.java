package org.quiver.engine;

import java.nio.file.Path;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.EngineProvider;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.api.status.CheckReport;

/** Opens engines in this process ({@link Quiver}); registered as the {@link EngineProvider}. */
public final class LocalEngineProvider implements EngineProvider {
  @Override
  public Engine open(QuiverConfig config) {
    return Quiver.open(config);
  }

  @Override
  public CheckReport check(Path dataDirectory) {
    return DataCheck.run(dataDirectory);
  }
}
