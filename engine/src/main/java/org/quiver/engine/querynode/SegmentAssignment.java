package org.quiver.engine.querynode;

import java.util.List;
import java.util.Objects;

/**
 * Which part of each table a query node holds when a cluster's query nodes share the tables out:
 * each sealed segment goes to one node, chosen by rendezvous hashing of the segment's id over the
 * live nodes' ids, and the growing rows of each table to one node, chosen the same way from the
 * table's id. No table records the choice: every node computes it from the same membership, and
 * when a node leaves only its part moves (spread over the others) while the rest stays put.
 * Segments are of a size (the seal policy), so counts balance rows.
 *
 * <p>{@link #WHOLE} is a node that holds everything: a single process, or a node before any
 * coordinator shared anything out.
 *
 * @param nodes the live nodes' ids, sorted; empty for {@link #WHOLE}
 * @param self the id of the node this assignment is for (null for {@link #WHOLE})
 */
public record SegmentAssignment(List<String> nodes, String self) {
  /** Everything held: a single process. */
  public static final SegmentAssignment WHOLE = new SegmentAssignment(List.of(), null);

  public SegmentAssignment {
    nodes = nodes.stream().sorted().distinct().toList();
    if (!nodes.isEmpty() && !nodes.contains(self)) {
      throw new IllegalArgumentException("node " + self + " is not one of " + nodes);
    }
  }

  /** The assignment of {@code self} among {@code nodes}. */
  public static SegmentAssignment of(List<String> nodes, String self) {
    return new SegmentAssignment(nodes, Objects.requireNonNull(self, "self"));
  }

  public boolean isWhole() {
    return nodes.isEmpty();
  }

  /** Whether this node holds the rows of sealed segment {@code segmentId}. */
  public boolean holdsSegment(long segmentId) {
    return isWhole() || self.equals(ownerOfSegment(segmentId));
  }

  /** Whether this node holds the growing rows of table {@code collectionId}. */
  public boolean holdsGrowing(long collectionId) {
    return isWhole() || self.equals(ownerOfGrowing(collectionId));
  }

  /** The node that holds sealed segment {@code segmentId}; null for {@link #WHOLE}. */
  public String ownerOfSegment(long segmentId) {
    return owner(segmentId, 0x5E6D_E47L);
  }

  /** The node that holds the growing rows of table {@code collectionId}; null for {@link #WHOLE}. */
  public String ownerOfGrowing(long collectionId) {
    return owner(collectionId, 0x6A0E_1A6L);
  }

  /**
   * Whether this node holds no more of a table under {@code other} than under this: the same
   * growing rows and, of {@code segmentIds}, no segment this does not give it.
   */
  public boolean coversShare(SegmentAssignment other, long collectionId,
      Iterable<Long> segmentIds) {
    if (holdsGrowing(collectionId) != other.holdsGrowing(collectionId)) {
      return false;
    }
    for (long id : segmentIds) {
      if (other.holdsSegment(id) && !holdsSegment(id)) {
        return false;
      }
    }
    return true;
  }

  /** The node with the highest score for {@code key}: rendezvous (highest random weight) hashing. */
  private String owner(long key, long salt) {
    String best = null;
    long bestScore = 0;
    for (String node : nodes) {
      long score = mix(mix(key ^ salt) ^ node.hashCode() * 0x9E37_79B9_7F4A_7C15L);
      if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
        best = node;
        bestScore = score;
      }
    }
    return best;
  }

  /** A 64-bit finalizer (as in SplitMix64): every input bit flips about half the output bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
