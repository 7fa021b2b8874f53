package org.quiver.engine.rootcoord;

/**
 * An alias as the catalog records it: a second name of a collection, switched atomically by
 * ALTER ALIAS.
 *
 * @param name the alias
 * @param collectionId the collection it stands for
 */
public record AliasInfo(String name, long collectionId) {}
