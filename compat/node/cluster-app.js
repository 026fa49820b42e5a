'use strict';
// One web-tier instance for the cluster failover test (compat/src/test/java/io/roost/compat/
// NodeSessionClusterIT.java): the express app of scenario.js, with connect-redis over ROOST_CLIENT
// (ioredis or node-redis) on the Roost nodes ROOST_ENDPOINTS (host:port,...), keys under
// ROOST_PREFIX. Prints "listening PORT" once it serves HTTP on 127.0.0.1; SIGTERM stops it.
//
// ioredis is given the whole list through its public `Connector` option: each connection and each
// reconnection goes to the first endpoint that accepts TCP, so the same client, store and app move
// to another node when theirs dies. node-redis 5 connects a standalone client to one fixed
// endpoint; the test restarts that app with another node instead.
//
// GET /_store answers {"port": <the node the client is connected to>, "errors": [...]}, the errors
// the store returned to express-session since the previous call (a failed store call during a
// request turns into a 500, or goes unnoticed when the response had already been sent).

const net = require('node:net');
const Redis = require('ioredis');
const { AbstractConnector } = require('ioredis');
const { createClient } = require('redis');
const { RedisStore } = require('connect-redis');
const { buildApp, recordErrors } = require('./scenario');

const PROBE_TIMEOUT_MS = 1_000;
const COMMAND_TIMEOUT_MS = 5_000;
const RECONNECT_DELAY_MS = 100;
const MAX_RECONNECTS = 100;

function endpoints() {
  const raw = process.env.ROOST_ENDPOINTS || '';
  const list = raw
    .split(',')
    .filter(Boolean)
    .map((endpoint) => {
      const [host, port] = endpoint.split(':');
      return { host, port: Number(port) };
    });
  if (list.length === 0 || list.some((e) => !e.host || !Number.isInteger(e.port))) {
    throw new Error(`ROOST_ENDPOINTS must be host:port,... but was '${raw}'`);
  }
  return list;
}

/** A connected socket to the endpoint, or null when it refuses or does not answer in time. */
function tryConnect(endpoint) {
  return new Promise((resolve) => {
    const socket = net.createConnection(endpoint);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, PROBE_TIMEOUT_MS);
    socket.once('error', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(null);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/** An ioredis Connector over a failover list: the first endpoint that accepts TCP wins. */
function failoverConnector(list) {
  return class FailoverConnector extends AbstractConnector {
    constructor(options) {
      super(options.disconnectTimeout);
    }

    async connect() {
      this.connecting = true;
      for (const endpoint of list) {
        const socket = await tryConnect(endpoint);
        if (!this.connecting) {
          // disconnect() was called meanwhile; ioredis expects this message.
          if (socket) {
            socket.destroy();
          }
          throw new Error('Connection is closed.');
        }
        if (socket) {
          return this.keep(socket);
        }
      }
      // No node accepts: an attempt on the first fails like a plain client's, and ioredis retries.
      return this.keep(net.createConnection(list[0]));
    }

    keep(socket) {
      this.stream = socket;
      socket.once('error', (err) => {
        this.firstError = err;
      });
      return socket;
    }
  };
}

async function ioredis(list) {
  const client = new Redis({
    lazyConnect: true,
    connectTimeout: COMMAND_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => (times > MAX_RECONNECTS ? null : RECONNECT_DELAY_MS),
    Connector: failoverConnector(list),
  });
  // Failures reach express-session through the rejected commands; the log shows the disconnects.
  client.on('error', (err) => console.error(`ioredis: ${err.message}`));
  await client.connect();
  return {
    client,
    port: () => (client.stream ? client.stream.remotePort : null),
    close: async () => client.disconnect(),
  };
}

async function nodeRedis(list) {
  if (list.length !== 1) {
    throw new Error(`a node-redis standalone client takes one endpoint, got ${list.length}`);
  }
  const [{ host, port }] = list;
  const client = createClient({
    socket: {
      host,
      port,
      connectTimeout: COMMAND_TIMEOUT_MS,
      reconnectStrategy: (retries) =>
        retries > MAX_RECONNECTS ? new Error(`gave up after ${retries} reconnects`) : RECONNECT_DELAY_MS,
    },
  });
  // Failures reach express-session through the rejected commands; the log shows the disconnects.
  client.on('error', (err) => console.error(`node-redis: ${err.message}`));
  await client.connect();
  return {
    client,
    port: () => port,
    close: async () => client.destroy(),
  };
}

async function main() {
  const list = endpoints();
  const kind = process.env.ROOST_CLIENT;
  const prefix = process.env.ROOST_PREFIX;
  if (!prefix) {
    throw new Error('ROOST_PREFIX must be set');
  }
  let redis;
  if (kind === 'ioredis') {
    redis = await ioredis(list);
  } else if (kind === 'node-redis') {
    redis = await nodeRedis(list);
  } else {
    throw new Error(`ROOST_CLIENT must be ioredis or node-redis, was '${kind}'`);
  }

  const storeErrors = [];
  const app = buildApp(recordErrors(new RedisStore({ client: redis.client, prefix }), storeErrors));
  app.get('/_store', (req, res) => {
    res.json({ port: redis.port(), errors: storeErrors.splice(0) });
  });
  const server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });

  const stop = () => {
    server.closeAllConnections();
    server.close();
    redis.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(`listening ${server.address().port}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
