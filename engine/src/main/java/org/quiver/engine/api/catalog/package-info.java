/**
 * The catalog as callers see it: a table's record with its schema and channels, its partitions,
 * indexes and flushed segments, as the root coordinator keeps them.
 */
package org.quiver.engine.api.catalog;
