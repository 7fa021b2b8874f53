package org.quiver.engine.rootcoord;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.quiver.storage.kv.RocksKvStore;

/**
 * The child of {@link AllocatorCrashTest}: allocates timestamps and ids on two threads until
 * killed, printing {@code ts <value>} and {@code id <value>} after each one is issued.
 */
public final class AllocatorCrashChild {
  private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);

  private AllocatorCrashChild() {}

  public static void main(String[] args) throws InterruptedException {
    RocksKvStore kv = RocksKvStore.open(Path.of(args[0]));
    Tso tso = new Tso(kv);
    IdAllocator ids = new IdAllocator(kv);
    print("ready");
    Thread a = Thread.ofPlatform().start(() -> {
      while (true) {
        print("ts " + tso.next());
      }
    });
    Thread b = Thread.ofPlatform().start(() -> {
      while (true) {
        print("id " + ids.next());
      }
    });
    a.join();
    b.join();
  }

  private static synchronized void print(String line) {
    OUT.println(line);
    OUT.flush();
  }
}
