package org.quiver.storage.crash;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.quiver.storage.kv.RocksKvStore;
import org.quiver.storage.mq.RocksMessageQueue;

/**
 * The child of {@link StorageCrashTest}: works on a data directory until killed, printing each
 * acknowledgement on stdout after the call that made it durable returned.
 *
 * <p>{@code mq <dir> <round>}: four producers append batches to one channel and print {@code ack
 * <id> <payload>} per message. {@code kv <dir> <round>}: one thread moves amounts between accounts
 * with multiSave (the sum never changes) and prints {@code txn <marker>}.
 */
public final class StorageCrashChild {
  static final int ACCOUNTS = 8;
  static final long TOTAL = 8_000;
  private static final PrintStream OUT = new PrintStream(System.out, false, StandardCharsets.UTF_8);

  private StorageCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    String round = args[2];
    if (args[0].equals("mq")) {
      produce(dir, round);
    } else {
      transact(dir, round);
    }
  }

  private static synchronized void ack(String line) {
    OUT.println(line);
    OUT.flush();
  }

  private static void produce(Path dir, String round) throws InterruptedException {
    RocksMessageQueue mq = RocksMessageQueue.open(dir);
    mq.createChannel("ch");
    ack("ready");
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      threads.add(Thread.ofPlatform().start(() -> {
        Random random = new Random(thread);
        for (long seq = 0; ; seq++) {
          List<byte[]> batch = new ArrayList<>();
          int n = 1 + random.nextInt(8);
          for (int k = 0; k < n; k++) {
            String text = round + "-" + thread + "-" + seq + "-" + k;
            batch.add(text.getBytes(StandardCharsets.UTF_8));
          }
          List<Long> ids = mq.produce("ch", batch);
          StringBuilder lines = new StringBuilder();
          for (int k = 0; k < n; k++) {
            lines.append("ack ").append(ids.get(k)).append(' ')
                .append(new String(batch.get(k), StandardCharsets.UTF_8));
            if (k < n - 1) {
              lines.append('\n');
            }
          }
          ack(lines.toString());
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private static void transact(Path dir, String round) throws InterruptedException {
    RocksKvStore kv = RocksKvStore.open(dir);
    if (kv.get("account/0") == null) {
      Map<String, byte[]> initial = new HashMap<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        initial.put("account/" + i, Long.toString(TOTAL / ACCOUNTS).getBytes(StandardCharsets.UTF_8));
      }
      kv.multiSave(initial, List.of());
    }
    ack("ready");
    Thread transfers = Thread.ofPlatform().start(() -> {
      Random random = new Random();
      for (long seq = 0; ; seq++) {
        int from = random.nextInt(ACCOUNTS);
        int to = random.nextInt(ACCOUNTS);
        long amount = random.nextInt(50);
        Map<String, byte[]> puts = new HashMap<>();
        long a = balance(kv, from) - amount;
        puts.put("account/" + from, Long.toString(a).getBytes(StandardCharsets.UTF_8));
        long b = (from == to ? a : balance(kv, to)) + amount;
        puts.put("account/" + to, Long.toString(b).getBytes(StandardCharsets.UTF_8));
        String marker = "txn/" + round + "-" + seq;
        puts.put(marker, new byte[] {1});
        kv.multiSave(puts, List.of());
        ack("txn " + marker);
      }
    });
    transfers.join();
  }

  static long balance(RocksKvStore kv, int account) {
    return Long.parseLong(new String(kv.get("account/" + account), StandardCharsets.UTF_8));
  }
}
