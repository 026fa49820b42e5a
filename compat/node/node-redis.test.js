'use strict';
// The session scenario with connect-redis over node-redis (the `redis` package).
const { createClient } = require('redis');
const { sessionScenario } = require('./scenario');

sessionScenario('node-redis', async (host, port) => {
  const client = createClient({
    socket: {
      host,
      port,
      connectTimeout: 5_000,
      reconnectStrategy: (retries) => (retries > 3 ? new Error(`gave up after ${retries} reconnects`) : 100),
    },
  });
  // Failures reach the test through the rejected command; the event only keeps Node from crashing.
  client.on('error', () => {});
  await client.connect();
  return {
    client,
    exists: (key) => client.exists(key),
    get: (key) => client.get(key),
    pttl: (key) => client.pTTL(key),
    close: () => client.close().catch(() => client.destroy()),
  };
});
