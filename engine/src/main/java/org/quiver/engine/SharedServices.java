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
import org.quiver.storage.FileTrees;
import org.quiver.storage.ServiceLocation;
import org.quiver.storage.StorageException;
import org.quiver.storage.kv.KvStore;
import org.quiver.storage.kv.KvStoreProvider;
import org.quiver.storage.mq.MessageQueue;
import org.quiver.storage.mq.MessageQueueProvider;

/**
 * Opens the catalog store and the log when the engine keeps them in shared services (etcd, Kafka)
 * rather than in its data directory, and turns what can go wrong there into catalogued errors: a
 * scheme with no client module on the class path is 0A000, a location the service's module
 * cannot read 22023, a service that does not answer 08001, each naming the location.
 */
final class SharedServices {
  /** The claim that makes this engine the only one writing the catalog. */
  static final String OWNER_KEY = "engine/owner";
  /** The id of the data folder whose segments (and local log) the catalog describes. */
  static final String DATA_KEY = "engine/data";
  /** The file in the data folder that holds its id. */
  static final String DATA_ID_FILE = "quiver.id";

  private SharedServices() {}

  /**
   * Opens the catalog store and claims it for this engine, so that a second engine pointed at the
   * same location stops with 55000 rather than write the same catalog.
   */
  static KvStore openCatalog(URI location, Path dataDirectory) {
    KvStore kv = open(location, "catalog store", () -> KvStoreProvider.openAt(location));
    String owner = ProcessHandle.current().pid() + "@" + hostName() + ":"
        + dataDirectory.toAbsolutePath().normalize();
    try {
      kv.claimExclusive(OWNER_KEY, owner);
      bindDataDirectory(kv, location, dataDirectory);
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
   * Ties a shared catalog to the data folder that holds the segments (and the local log) it
   * lists, on first use, and refuses any other folder after that: an engine opened on an empty
   * or foreign folder would find tables whose files are elsewhere, and drop or overwrite them.
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
    MessageQueue mq = open(location, "log",
        () -> MessageQueueProvider.openAt(location, positions));
    try {
      mq.channelStats();
    } catch (StorageException e) {
      mq.close();
      throw unreachable("log", location, e);
    }
    return mq;
  }

  private static <T> T open(URI location, String what, Supplier<T> opener) {
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
