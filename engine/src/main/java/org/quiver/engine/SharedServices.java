package org.quiver.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;
import org.quiver.engine.api.error.ErrorCode;
import org.quiver.engine.api.error.QuiverException;
import org.quiver.engine.api.QuiverConfig;
import org.quiver.engine.segment.SegmentObjects;
import org.quiver.storage.FileTrees;
import org.quiver.storage.ServiceLocation;
import org.quiver.storage.StorageException;
import org.quiver.storage.kv.KvStore;
import org.quiver.storage.kv.KvStoreProvider;
import org.quiver.storage.mq.MessageQueue;
import org.quiver.storage.mq.MessageQueueProvider;
import org.quiver.storage.object.ObjectStore;
import org.quiver.storage.object.ObjectStoreProvider;

/**
 * Opens the catalog store, the log and the segments' object store when the engine keeps them in
 * shared services (etcd, Kafka, S3) rather than in its data directory, and turns what can go wrong
 * there into catalogued errors: a scheme with no client module on the class path is 0A000, a
 * location the client refuses 22023, a service that does not answer 08001, each naming the
 * location (never its credentials).
 */
public final class SharedServices {
  /** The claim that makes this engine the only one writing the catalog. */
  static final String OWNER_KEY = "engine/owner";
  /** The id of the data folder whose segments (and local log) the catalog describes. */
  static final String DATA_KEY = "engine/data";
  /** The file in the data folder that holds its id. */
  static final String DATA_ID_FILE = "quiver.id";

  private SharedServices() {}

  /**
   * Whether the data folder holds state the catalog describes and that lives nowhere else: the
   * log when it is RocksMQ in the folder ({@code log} null), the segments when they are only in
   * its folders ({@code segments} null). While it does, a shared catalog is bound to that one
   * folder ({@link #openCatalog}); once both live in shared services, the folder is only a cache
   * and any folder, a new empty one included, may open the catalog.
   */
  static boolean dataFolderHoldsState(QuiverConfig config) {
    return config.log() == null || config.segments() == null;
  }

  /**
   * Opens the catalog store and claims it for this engine, so that a second engine pointed at the
   * same location stops with 55000 rather than write the same catalog; binds it to the data
   * folder when {@code bindToDataFolder} ({@link #dataFolderHoldsState}).
   */
  static KvStore openCatalog(URI location, Path dataDirectory, boolean bindToDataFolder) {
    KvStore kv = open(location, "catalog store", () -> KvStoreProvider.openAt(location));
    String owner = ProcessHandle.current().pid() + "@" + hostName() + ":"
        + dataDirectory.toAbsolutePath().normalize();
    try {
      kv.claimExclusive(OWNER_KEY, owner);
      if (bindToDataFolder) {
        bindDataDirectory(kv, location, dataDirectory);
      }
    } catch (StorageException e) {
      kv.close();
      throw unreachable("catalog store", location, e);
    } catch (IllegalStateException e) {
      kv.close();
      throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "the catalog at %s is in use by another Quiver engine: %s", location, e.getMessage());
    } catch (RuntimeException e) {
      kv.close();
      throw e;
    }
    return kv;
  }

  /**
   * Ties a shared catalog to the data folder that holds the segments or the log it describes, on
   * first use, and refuses any other folder after that: an engine opened on an empty or foreign
   * folder would find tables whose files are elsewhere, and drop or overwrite them. Only while
   * {@link #dataFolderHoldsState}: with the log and the segments in shared services the binding is
   * neither checked nor written.
   */
  private static void bindDataDirectory(KvStore kv, URI location, Path dataDirectory) {
    Path idFile = dataDirectory.resolve(DATA_ID_FILE);
    try {
      String id = Files.exists(idFile) ? Files.readString(idFile).strip() : null;
      byte[] bound = kv.get(DATA_KEY);
      if (bound == null) {
        if (id == null) {
          id = UUID.randomUUID().toString();
          FileTrees.writeDurably(idFile, id.getBytes(StandardCharsets.UTF_8));
        }
        kv.put(DATA_KEY, id.getBytes(StandardCharsets.UTF_8));
        return;
      }
      String boundId = new String(bound, StandardCharsets.UTF_8);
      if (!boundId.equals(id)) {
        throw QuiverException.of(ErrorCode.OBJECT_NOT_IN_PREREQUISITE_STATE,
            "the catalog at %s describes the data folder with id %s, and %s is %s; open it with"
                + " that folder, or give this folder a catalog of its own",
            location, boundId, dataDirectory.toAbsolutePath().normalize(),
            id == null ? "a new folder" : "folder " + id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }

  static MessageQueue openLog(URI location, KvStore positions) {
    // The provider asks the service once as it opens (see MessageQueueProvider.open).
    return open(location, "log", () -> MessageQueueProvider.openAt(location, positions));
  }

  /**
   * Opens the object store of the segment and index files, of which the data folder's {@code
   * segments/} is then a cache.
   */
  static SegmentObjects openSegments(URI location, Path dataDirectory) {
    URI shown = ServiceLocation.withoutQuery(location);
    ObjectStoreProvider provider = open(shown, "segment store",
        () -> ServiceLocation.provider(ObjectStoreProvider.class, ObjectStoreProvider::scheme,
            shown, "segment store"));
    ObjectStore store;
    try {
      store = provider.open(location);
    } catch (IllegalArgumentException e) {
      throw new QuiverException(ErrorCode.INVALID_PARAMETER_VALUE,
          "segment store " + shown + ": " + e.getMessage(), e);
    } catch (StorageException e) {
      throw unreachable("segment store", shown, e);
    }
    return new SegmentObjects(store, dataDirectory, shown.toString());
  }

  /**
   * Opens a shared service with {@code opener}, turning its failures into the engine's codes: 0A000
   * for a scheme no module provides, 22023 for a location it refuses, 08001 when it does not
   * answer.
   */
  /**
   * Opens the catalog store at {@code location} for a process that only keeps a session there
   * and reads others' (a proxy): writes {@code session} for as long as the store stays open.
   * 08001 when the store does not answer, as {@link #openCatalog} fails.
   */
  public static KvStore openForSession(URI location, String session, byte[] value) {
    KvStore kv = open(location, "catalog store", () -> KvStoreProvider.openAt(location));
    try {
      kv.putForSession(session, value);
      return kv;
    } catch (StorageException e) {
      kv.close();
      throw unreachable("catalog store", location, e);
    } catch (RuntimeException e) {
      kv.close();
      throw e;
    }
  }

  static <T> T open(URI location, String what, Supplier<T> opener) {
    try {
      return opener.get();
    } catch (ServiceLocation.NoProviderException e) {
      throw new QuiverException(ErrorCode.FEATURE_NOT_SUPPORTED, e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw QuiverException.of(ErrorCode.INVALID_PARAMETER_VALUE, "bad %s location %s: %s", what,
          location, e.getMessage());
    } catch (StorageException e) {
      throw unreachable(what, location, e);
    }
  }

  private static QuiverException unreachable(String what, URI location, Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return new QuiverException(ErrorCode.CONNECTION_FAILURE, String.format(
        "cannot reach the %s at %s (%s); start it, or correct the location", what, location,
        root.getMessage()), cause);
  }
}
