package io.roost.server;

import io.roost.server.config.Settings;
import io.roost.store.Clock;
import io.roost.store.EvictionPolicy;
import io.roost.store.Store;
import io.roost.store.StoreContext;

/** Builds the store's context from the server's settings. */
final class Stores {
  private Stores() {}

  static Store create(Settings s) {
    return new Store(
        new StoreContext()
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

  /** {@code maxmemory 0} means the store's default share of the direct-memory limit. */
  static long maxMemoryBytes(Settings s) {
    return s.maxMemoryBytes > 0 ? s.maxMemoryBytes : StoreContext.defaultMaxMemoryBytes();
  }
}
