/**
 * Hashes whose results Quiver persists: {@link Murmur3} (MurmurHash3 x86 32-bit) and the byte form
 * of a primary key that it hashes (a BIGINT as 8 little-endian bytes, a VARCHAR as its UTF-8
 * bytes). The engine's message stream sends each key to the DML channel its hash picks, and a
 * segment's bloom filter sets its bits from it, so the function and the key bytes are part of the
 * on-disk format: changing either would send keys to other channels and make existing filters
 * answer wrongly. Pure functions, safe from any thread; the package depends on nothing.
 */
package org.quiver.storage.hash;
