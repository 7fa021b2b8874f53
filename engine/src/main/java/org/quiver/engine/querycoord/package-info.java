/**
 * Query coordination of a cluster: which query nodes in other processes are up, what each
 * holds, and where each read goes ({@link org.quiver.engine.querycoord.QueryCluster}).
 */
package org.quiver.engine.querycoord;
