package org.quiver.engine.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.engine.api.status.QueueStats;
import org.quiver.engine.api.status.TaskView;
import org.quiver.engine.rootcoord.Tso;
import org.quiver.storage.kv.RocksKvStore;

/** The proxy's queues: unissued and active lists, timestamp order, TaskDoneTest, done counts. */
class TaskSchedulerTest {
  @TempDir Path dir;

  /** A task that runs until released, recording the order tasks ran in. */
  private static final class Blocking extends Task<Long> {
    private final TaskQueue.Kind kind;
    private final CountDownLatch release;
    private final List<Long> ran;
    final CountDownLatch started = new CountDownLatch(1);

    Blocking(TaskQueue.Kind kind, CountDownLatch release, List<Long> ran) {
      this.kind = kind;
      this.release = release;
      this.ran = ran;
    }

    @Override
    TaskQueue.Kind queue() {
      return kind;
    }

    @Override
    Long execute() {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      ran.add(timestamp());
      return timestamp();
    }
  }

  @Test
  void queuesListTasksAndTaskDoneTestWaitsForEarlierWrites() throws Exception {
    try (RocksKvStore kv = RocksKvStore.open(dir);
        TaskScheduler scheduler = new TaskScheduler(new Tso(kv))) {
      List<Long> ran = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch release = new CountDownLatch(1);
      Blocking first = new Blocking(TaskQueue.Kind.MANIPULATION, release, ran);
      Blocking second = new Blocking(TaskQueue.Kind.MANIPULATION, release, ran);
      CompletableFuture<Long> a = CompletableFuture.supplyAsync(() -> scheduler.run(first));
      assertTrue(first.started.await(10, TimeUnit.SECONDS));
      CompletableFuture<Long> b = CompletableFuture.supplyAsync(() -> scheduler.run(second));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (scheduler.tasks().size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      List<TaskView> tasks = scheduler.tasks();
      assertEquals(List.of("unissued", "active"), tasks.stream().map(TaskView::state).toList());
      assertEquals(List.of("manipulation", "manipulation"),
          tasks.stream().map(TaskView::queue).toList());
      QueueStats dm = scheduler.queueStats().get(1);
      assertEquals(new QueueStats("manipulation", 1, 1, 0, 0), dm);

      // Nothing is unfinished below the first write; the second is below a timestamp after it.
      assertTrue(scheduler.taskDoneTest(first.timestamp()));
      assertFalse(scheduler.taskDoneTest(first.timestamp() + 1));
      long later = scheduler.now();
      assertFalse(scheduler.taskDoneTest(later));
      assertTrue(scheduler.tickTimestamp() < first.timestamp(), "a tick stays below the oldest write");

      release.countDown();
      scheduler.awaitTaskDone(later);
      assertTrue(scheduler.taskDoneTest(later));
      assertEquals(first.timestamp(), a.get(10, TimeUnit.SECONDS));
      assertEquals(second.timestamp(), b.get(10, TimeUnit.SECONDS));
      assertEquals(List.of(first.timestamp(), second.timestamp()), ran);
      assertTrue(scheduler.tickTimestamp() > later);

      Task<Void> failing = new Task<>() {
        @Override
        TaskQueue.Kind queue() {
          return TaskQueue.Kind.DEFINITION;
        }

        @Override
        Void execute() {
          throw new IllegalStateException("no");
        }
      };
      assertThrows(IllegalStateException.class, () -> scheduler.run(failing));
      assertEquals(new QueueStats("manipulation", 0, 0, 2, 0), scheduler.queueStats().get(1));
      assertEquals(new QueueStats("definition", 0, 0, 0, 1), scheduler.queueStats().get(0));
      assertTrue(scheduler.tasks().isEmpty());
    }
  }

  @Test
  void aQueryRunsOnTheCallersThread() throws Exception {
    try (RocksKvStore kv = RocksKvStore.open(dir);
        TaskScheduler scheduler = new TaskScheduler(new Tso(kv))) {
      Thread caller = Thread.currentThread();
      Task<Boolean> query = new Task<>() {
        @Override
        TaskQueue.Kind queue() {
          return TaskQueue.Kind.QUERY;
        }

        @Override
        Boolean execute() {
          return Thread.currentThread() == caller;
        }
      };
      assertTrue(scheduler.run(query));
      assertEquals(1, scheduler.queueStats().get(2).done());
    }
  }
}
