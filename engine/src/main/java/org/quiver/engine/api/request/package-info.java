/**
 * The requests an {@link org.quiver.engine.api.Engine} takes, one record per operation, each
 * naming what it acts on by table, partition, alias or index name: definition (tables, partitions,
 * aliases, indexes, load and release), manipulation (insert, upsert, delete, flush, compact) and
 * reads (search, batch search, query, scan; a query with keys is a key lookup).
 */
package org.quiver.engine.api.request;
