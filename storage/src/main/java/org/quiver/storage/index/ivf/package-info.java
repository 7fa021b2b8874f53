/**
 * The inverted-file indexes, IVF_FLAT and IVF_PQ: {@link org.quiver.storage.index.ivf.IvfFormat}
 * describes the one file they write, {@link org.quiver.storage.index.ivf.IvfWriter} trains the
 * coarse quantizer ({@link org.quiver.storage.index.ivf.KMeans}) and, for IVF_PQ, the product
 * quantizer, then writes the file; {@link org.quiver.storage.index.ivf.IvfReader} verifies and
 * opens it as an {@link org.quiver.storage.index.ivf.IvfFlatIndex} (exact distances over the
 * mapped vectors of the probed lists) or an {@link org.quiver.storage.index.ivf.IvfPqIndex}
 * (distances estimated from codes, the best candidates re-ranked exactly).
 */
package org.quiver.storage.index.ivf;
