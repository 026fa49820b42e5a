package io.roost.server;

import io.roost.cluster.ClusterContext;
import io.roost.server.config.Settings;
import io.roost.store.Clock;
import io.roost.store.EffectSink;
import io.roost.store.EvictionPolicy;
import io.roost.store.KeyspaceEventSink;
import io.roost.store.Store;
import io.roost.store.StoreContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.DirectBuffer;

/** Builds the store's context from the server's settings. */
final class Stores {
  private Stores() {}

  /**
   * The store; {@code events} receives every keyspace event whatever notify-keyspace-events says
   * (the sink filters, so CONFIG SET can switch notifications on a running store).
   */
  static Store create(Settings s, EffectSink effects, KeyspaceEventSink events) {
    return new Store(
        new StoreContext()
            .effectSink(effects)
            .keyspaceEventSink(events)
            .databases(s.databases)
            .maxMemoryBytes(maxMemoryBytes(s))
            .evictionPolicy(EvictionPolicy.ofName(s.maxMemoryPolicy))
            .maxMemorySamples(s.maxMemorySamples)
            .lfuLogFactor(s.lfuLogFactor)
            .lfuDecayTimeMinutes(s.lfuDecayTimeMinutes)
            .hashMaxListpackEntries(s.hashMaxListpackEntries)
            .hashMaxListpackValue(s.hashMaxListpackValue)
            .hz(s.hz)
            .clock(Clock.SYSTEM));
  }

  /** The cluster's context from the cluster directives. */
  static ClusterContext clusterContext(Settings s) {
    return new ClusterContext()
        .clusterName(s.clusterName)
        .bindAddress(s.clusterBind)
        .port(s.clusterPort)
        .members(
            s.clusterMembers.isBlank() ? s.clusterBind + ":" + s.clusterPort : s.clusterMembers)
        .owners(s.owners)
        .replication(s.replication)
        .clusterMode(s.clusterMode)
        .requireMajority(s.clusterRequireMajority)
        .secret(clusterSecret(s))
        .stackFile(s.clusterConfig)
        .conclude();
  }

  /**
   * The peer secret: {@code cluster-secret}, or the first line of {@code cluster-secret-file}.
   * Messages never hold the secret.
   */
  static String clusterSecret(Settings s) {
    if (s.clusterSecretFile.isEmpty()) {
      return s.clusterSecret;
    }
    if (!s.clusterSecret.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster-secret and cluster-secret-file are both set; set one of them");
    }
    String text;
    try {
      text = Files.readString(Path.of(s.clusterSecretFile), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cluster-secret-file=" + s.clusterSecretFile + " cannot be read: " + e);
    }
    int end = text.indexOf('\n');
    String secret = end < 0 ? text : text.substring(0, end);
    if (secret.endsWith("\r")) {
      secret = secret.substring(0, secret.length() - 1);
    }
    if (secret.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster-secret-file=" + s.clusterSecretFile + " holds no secret on its first line");
    }
    return secret;
  }

  /**
   * The store's effect sink on a clustered node: the store is built before the cluster is joined
   * (the client port must be bound first), so effects go through this until the node is ready.
   */
  static final class LateEffectSink implements EffectSink {
    private volatile EffectSink target = EffectSink.NONE;

    void target(EffectSink sink) {
      target = sink;
    }

    @Override
    public void onEffect(DirectBuffer buffer, int offset, int length) {
      target.onEffect(buffer, offset, length);
    }
  }

  /** {@code maxmemory 0} means the store's default share of the direct-memory limit. */
  static long maxMemoryBytes(Settings s) {
    return s.maxMemoryBytes > 0 ? s.maxMemoryBytes : StoreContext.defaultMaxMemoryBytes();
  }
}
