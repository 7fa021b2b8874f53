package org.quiver.sql.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.quiver.engine.api.Engine;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.storage.FileTrees;

/**
 * The engines open in this JVM, shared by the connections to the same location and closed when
 * the last of them closes (as an embedded H2 database is).
 *
 * <p>Locations: {@code file:<dir>}; {@code mem:} (a private engine in a temporary directory,
 * removed when closed); {@code mem:<name>} (the same, shared by name while open).
 */
public final class EngineRegistry {
  private static final Map<String, Entry> OPEN = new HashMap<>();

  private EngineRegistry() {}

  /** An engine in use; {@link #close()} gives it back. */
  public static final class Handle implements AutoCloseable {
    private final String key;
    private final Engine engine;
    private boolean closed;

    private Handle(String key, Engine engine) {
      this.key = key;
      this.engine = engine;
    }

    public Engine engine() {
      return engine;
    }

    @Override
    public void close() {
      synchronized (EngineRegistry.class) {
        if (!closed) {
          closed = true;
          release(key);
        }
      }
    }
  }

  private static final class Entry {
    final Engine engine;
    final Path temporary;
    int users;

    Entry(Engine engine, Path temporary) {
      this.engine = engine;
      this.temporary = temporary;
    }
  }

  public static synchronized Handle acquire(String location) {
    return acquire(location, UnaryOperator.identity());
  }

  /**
   * Opens (or shares) the engine at {@code location}; {@code tune} adjusts the default
   * configuration (seal policies, retention window) when this call opens it.
   */
  public static synchronized Handle acquire(String location, UnaryOperator<QuiverConfig> tune) {
    String key;
    Path dir;
    Path temporary = null;
    if (location.startsWith("file:")) {
      dir = Path.of(location.substring("file:".length())).toAbsolutePath().normalize();
      key = "file:" + dir;
    } else if (location.startsWith("mem:")) {
      String name = location.substring("mem:".length());
      key = name.isEmpty() ? "mem:#" + System.nanoTime() : location;
      dir = null;
    } else {
      throw new IllegalArgumentException(
          "unknown location " + location + "; expected file:<dir> or mem:[name]");
    }
    Entry entry = OPEN.get(key);
    if (entry == null) {
      if (dir == null) {
        try {
          temporary = Files.createTempDirectory("quiver-mem-");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        dir = temporary;
      }
      entry = new Entry(Engine.open(tune.apply(QuiverConfig.at(dir))), temporary);
      OPEN.put(key, entry);
    }
    entry.users++;
    return new Handle(key, entry.engine);
  }

  private static void release(String key) {
    Entry entry = OPEN.get(key);
    if (entry == null || --entry.users > 0) {
      return;
    }
    OPEN.remove(key);
    entry.engine.close();
    if (entry.temporary != null) {
      FileTrees.deleteRecursively(entry.temporary);
    }
  }
}
