'use strict';
// The session scenario every Node client runs: login -> read -> update -> id change -> logout ->
// expiry, through a real express app with express-session and connect-redis, driven over HTTP by
// Node's fetch with a cookie jar kept by hand. The store is checked directly through the same Redis
// client connect-redis uses. The target is 127.0.0.1:$ROOST_PORT (Roost or a real redis-server).
//
// Every wait is bounded: HTTP calls have a timeout, the suite has one, polling has a deadline, and
// the express server and Redis client are closed in after().

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const express = require('express');
const session = require('express-session');
const { RedisStore } = require('connect-redis');

const HOST = process.env.ROOST_HOST || '127.0.0.1';
const PORT = Number(process.env.ROOST_PORT);
const COOKIE = 'roost.sid';
const LONG_MAX_AGE_MS = 60_000;
const SHORT_MAX_AGE_MS = 1_000;
const EXPIRY_DEADLINE_MS = 10_000;
const HTTP_TIMEOUT_MS = 10_000;

/**
 * Declares the scenario for one client.
 *
 * @param {string} name client name, also part of the key prefix so runs never share keys
 * @param {(host: string, port: number) => Promise<object>} connect returns {client, exists(key),
 *     get(key), pttl(key), close()} where client is what connect-redis receives
 */
function sessionScenario(name, connect) {
  describe(`express-session + connect-redis over ${name} on ${HOST}:${PORT}`, { timeout: 60_000 }, () => {
    const prefix = `roost-compat:${name}:${process.pid}:`;
    let redis;
    let server;
    let baseUrl;
    // Errors the store returned to express-session, in order. A failed save at the end of a request
    // does not change the response express-session sends, so every step checks this list too.
    const storeErrors = [];

    before(async () => {
      assert.ok(Number.isInteger(PORT) && PORT > 0, `ROOST_PORT must be a port, was ${process.env.ROOST_PORT}`);
      redis = await connect(HOST, PORT);
      const app = buildApp(recordErrors(new RedisStore({ client: redis.client, prefix }), storeErrors));
      server = await new Promise((resolve, reject) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
      });
      baseUrl = `http://127.0.0.1:${server.address().port}`;
    });

    after(async () => {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(() => resolve()));
      }
      if (redis) {
        await redis.close();
      }
    });

    const key = (sid) => prefix + sid;
    const request = async (browser, method, path, body) => {
      const res = await call(baseUrl, browser, method, path, body);
      assert.deepEqual(storeErrors.splice(0), [], `store errors during ${method} ${path}`);
      return res;
    };
    const stored = async (sid) => {
      const raw = await redis.get(key(sid));
      assert.ok(raw, `no value stored at ${key(sid)}`);
      return JSON.parse(raw);
    };

    // One browser: the cookie jar is this one variable.
    const alice = { cookie: null, sid: null };

    it('login: POST /login stores the session with its TTL and sets the cookie', async () => {
      const res = await request(alice, 'POST', '/login', { name: 'alice', role: 'reader' });
      assert.equal(res.status, 200, res.text);
      assert.ok(alice.cookie, 'no session cookie set');
      alice.sid = res.json.sid;
      assert.equal(sidFromCookie(alice.cookie), alice.sid);

      const data = await stored(alice.sid);
      assert.deepEqual(data.user, { name: 'alice', role: 'reader' });
      const pttl = await redis.pttl(key(alice.sid));
      assert.ok(pttl > 0 && pttl <= LONG_MAX_AGE_MS, `pttl=${pttl}`);
    });

    it('read: GET /me sees the user, touching the TTL without rewriting the value', async () => {
      const before = await redis.get(key(alice.sid));
      const res = await request(alice, 'GET', '/me');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { sid: alice.sid, user: { name: 'alice', role: 'reader' } });
      assert.equal(await redis.get(key(alice.sid)), before, 'an unchanged session was rewritten');
      const pttl = await redis.pttl(key(alice.sid));
      assert.ok(pttl > 0 && pttl <= LONG_MAX_AGE_MS, `pttl=${pttl}`);
    });

    it('update: POST /update changes a field in the store', async () => {
      const res = await request(alice, 'POST', '/update', { role: 'admin' });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.sid, alice.sid);
      assert.deepEqual((await stored(alice.sid)).user, { name: 'alice', role: 'admin' });
      const again = await request(alice, 'GET', '/me');
      assert.deepEqual(again.json.user, { name: 'alice', role: 'admin' });
    });

    it('id change: POST /rotate regenerates the id, keeps the data, and the old id is gone', async () => {
      const oldSid = alice.sid;
      const oldCookie = alice.cookie;
      const res = await request(alice, 'POST', '/rotate');
      assert.equal(res.status, 200, res.text);
      alice.sid = res.json.sid;
      assert.notEqual(alice.sid, oldSid);
      assert.equal(sidFromCookie(alice.cookie), alice.sid);

      assert.equal(await redis.exists(key(oldSid)), 0, 'old session key still present');
      assert.deepEqual((await stored(alice.sid)).user, { name: 'alice', role: 'admin' });
      const me = await request(alice, 'GET', '/me');
      assert.deepEqual(me.json, { sid: alice.sid, user: { name: 'alice', role: 'admin' } });

      // A stolen copy of the old cookie no longer logs anyone in, and leaves nothing behind.
      const thief = { cookie: oldCookie, sid: oldSid };
      const stolen = await request(thief, 'GET', '/me');
      assert.equal(stolen.status, 200, stolen.text);
      assert.equal(stolen.json.user, null);
      assert.equal(await redis.exists(key(oldSid)), 0);
    });

    it('logout: POST /logout destroys the session and its key', async () => {
      const res = await request(alice, 'POST', '/logout');
      assert.equal(res.status, 200, res.text);
      assert.equal(await redis.exists(key(alice.sid)), 0, 'session key still present after logout');
      const me = await request(alice, 'GET', '/me');
      assert.equal(me.json.user, null);
      assert.equal(await redis.exists(key(alice.sid)), 0);
    });

    it(`expiry: a session with cookie.maxAge=${SHORT_MAX_AGE_MS}ms disappears from the store by itself`, async () => {
      const bob = { cookie: null, sid: null };
      const res = await request(bob, 'POST', '/login', { name: 'bob', role: 'reader', maxAgeMs: SHORT_MAX_AGE_MS });
      assert.equal(res.status, 200, res.text);
      bob.sid = res.json.sid;
      const pttl = await redis.pttl(key(bob.sid));
      assert.ok(pttl > 0 && pttl <= SHORT_MAX_AGE_MS, `pttl=${pttl}`);

      const deadline = Date.now() + EXPIRY_DEADLINE_MS;
      let exists = 1;
      while (exists !== 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        exists = await redis.exists(key(bob.sid));
      }
      assert.equal(exists, 0, `session key still present ${EXPIRY_DEADLINE_MS}ms after login`);
      // The browser still sends its (client-side expired) cookie: the server knows no such session.
      const me = await request(bob, 'GET', '/me');
      assert.equal(me.json.user, null);
    });
  });
}

/** Wraps the callback methods express-session calls so that each error is recorded before use. */
function recordErrors(store, errors) {
  for (const method of ['get', 'set', 'touch', 'destroy']) {
    const original = store[method].bind(store);
    store[method] = (...args) => {
      const cb = args.pop();
      if (typeof cb !== 'function') {
        return original(...args, cb);
      }
      return original(...args, (err, value) => {
        if (err) {
          errors.push(`${method}: ${err.message}`);
        }
        cb(err, value);
      });
    };
  }
  return store;
}

function buildApp(store) {
  const app = express();
  app.use(express.json());
  app.use(
    session({
      name: COOKIE,
      secret: 'roost-compat-secret',
      store,
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: LONG_MAX_AGE_MS, httpOnly: true, sameSite: 'lax' },
    }),
  );

  app.post('/login', (req, res) => {
    req.session.user = { name: req.body.name, role: req.body.role };
    if (req.body.maxAgeMs) {
      req.session.cookie.maxAge = req.body.maxAgeMs;
    }
    res.json({ sid: req.sessionID });
  });

  app.get('/me', (req, res) => {
    res.json({ sid: req.sessionID, user: req.session.user || null });
  });

  app.post('/update', (req, res) => {
    if (!req.session.user) {
      res.status(401).json({ error: 'not logged in' });
      return;
    }
    req.session.user.role = req.body.role;
    res.json({ sid: req.sessionID });
  });

  app.post('/rotate', (req, res, next) => {
    const user = req.session.user;
    req.session.regenerate((err) => {
      if (err) {
        next(err);
        return;
      }
      req.session.user = user;
      res.json({ sid: req.sessionID });
    });
  });

  app.post('/logout', (req, res, next) => {
    req.session.destroy((err) => {
      if (err) {
        next(err);
        return;
      }
      res.clearCookie(COOKIE);
      res.json({ ok: true });
    });
  });

  // A store error (for example an unknown command) is answered with a 500 and its text, unless
  // express-session had already sent the response when its save failed.
  // eslint-disable-next-line no-unused-vars
  app.use((err, req, res, next) => {
    if (!res.headersSent) {
      res.status(500).json({ error: String(err && err.message ? err.message : err) });
    }
  });
  return app;
}

/** One HTTP call as the given browser: sends its cookie, keeps any new one. */
async function call(baseUrl, browser, method, path, body) {
  const headers = {};
  if (browser.cookie) {
    headers.cookie = browser.cookie;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const setCookies = res.headers.getSetCookie
    ? res.headers.getSetCookie()
    : [res.headers.get('set-cookie')].filter(Boolean);
  for (const line of setCookies) {
    const pair = line.split(';', 1)[0];
    // A clearing Set-Cookie (logout) is ignored on purpose: the browser keeps sending the old
    // cookie, which proves the server side forgot the session rather than the client.
    const cleared = pair === COOKIE + '=' || /expires=Thu, 01 Jan 1970/i.test(line);
    if (pair.startsWith(COOKIE + '=') && !cleared) {
      browser.cookie = pair;
    }
  }
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the assertion on the status shows the text.
  }
  return { status: res.status, text: `${res.status} ${text}`, json };
}

/** The session id inside a signed express-session cookie `name=s%3A<sid>.<signature>`. */
function sidFromCookie(pair) {
  const value = decodeURIComponent(pair.slice(COOKIE.length + 1));
  assert.ok(value.startsWith('s:'), `unsigned cookie ${pair}`);
  return value.slice(2, value.lastIndexOf('.'));
}

module.exports = { sessionScenario, buildApp, recordErrors };
