package org.quiver.engine.querynode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SegmentAssignmentTest {
  private static final List<String> THREE = List.of("node1", "node2", "node3");

  @Test
  void everySegmentIsExactlyOneNodesAndTheCountsBalance() {
    Map<String, Integer> counts = new HashMap<>();
    for (long segment = 1; segment <= 3_000; segment++) {
      int holders = 0;
      for (String node : THREE) {
        if (SegmentAssignment.of(THREE, node).holdsSegment(segment)) {
          holders++;
          counts.merge(node, 1, Integer::sum);
        }
      }
      assertEquals(1, holders, "segment " + segment);
    }
    for (String node : THREE) {
      int n = counts.get(node);
      assertTrue(n > 850 && n < 1150, node + " holds " + n + " of 3000");
    }
  }

  @Test
  void aNodeThatLeavesMovesOnlyItsOwnSegments() {
    SegmentAssignment before = SegmentAssignment.of(THREE, "node1");
    List<String> two = List.of("node1", "node3");
    long moved = 0;
    for (long segment = 1; segment <= 2_000; segment++) {
      String owner = before.ownerOfSegment(segment);
      String after = SegmentAssignment.of(two, "node1").ownerOfSegment(segment);
      if (!owner.equals("node2")) {
        assertEquals(owner, after, "segment " + segment + " stays where it was");
      } else {
        moved++;
      }
    }
    assertTrue(moved > 0);
  }

  @Test
  void aTablesGrowingRowsAreOneNodes() {
    for (long table = 1; table <= 50; table++) {
      long t = table;
      assertEquals(1, THREE.stream()
          .filter(n -> SegmentAssignment.of(THREE, n).holdsGrowing(t)).count());
    }
    assertTrue(LongStream.rangeClosed(1, 50).mapToObj(t -> SegmentAssignment.of(THREE, "node1")
        .ownerOfGrowing(t)).distinct().count() > 1, "tables' growing rows spread over the nodes");
  }

  @Test
  void wholeHoldsEverythingAndOrderOfNodesDoesNotMatter() {
    assertTrue(SegmentAssignment.WHOLE.holdsSegment(7));
    assertTrue(SegmentAssignment.WHOLE.holdsGrowing(7));
    assertEquals(SegmentAssignment.of(List.of("b", "a"), "a"),
        SegmentAssignment.of(List.of("a", "b"), "a"));
    assertThrows(IllegalArgumentException.class, () -> SegmentAssignment.of(THREE, "node9"));
    SegmentAssignment alone = SegmentAssignment.of(List.of("node1"), "node1");
    assertTrue(alone.holdsSegment(7) && alone.holdsGrowing(7));
    assertFalse(alone.isWhole());
  }
}
