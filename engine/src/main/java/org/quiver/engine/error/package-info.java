/**
 * Disk failures as catalogued errors: {@link StorageFailures} turns a failure of the disk into a
 * {@link org.quiver.engine.api.error.QuiverException} (53100 for a full disk, 58030 otherwise).
 * The catalogue itself, {@link org.quiver.engine.api.error.ErrorCode}, is part of the engine's
 * api, so that every caller raises the same SQLSTATEs.
 */
package org.quiver.engine.error;
