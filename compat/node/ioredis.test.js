'use strict';
// The session scenario with connect-redis over ioredis.
const Redis = require('ioredis');
const { sessionScenario } = require('./scenario');

sessionScenario('ioredis', async (host, port) => {
  const client = new Redis({
    host,
    port,
    lazyConnect: true,
    connectTimeout: 5_000,
    commandTimeout: 5_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => (times > 3 ? null : 100),
  });
  await client.connect();
  return {
    client,
    exists: (key) => client.exists(key),
    get: (key) => client.get(key),
    pttl: (key) => client.pttl(key),
    close: () => client.quit().catch(() => client.disconnect()),
  };
});
