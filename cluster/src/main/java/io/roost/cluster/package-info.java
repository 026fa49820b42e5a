/** Cluster membership, slot ownership and replication over JGroups (see docs/replication.md). */
package io.roost.cluster;
