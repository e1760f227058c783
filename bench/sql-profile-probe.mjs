// A probe for a measured Retailos process (`node --import ./bench/sql-profile-probe.mjs`, passed by a
// bench through NODE_OPTIONS): the time each SQL statement takes, by its first words, on both engines.
// - Postgres: pg's Client.query (each pooled connection's queries, pg-boss's too), from the call to its
//   answer (a query queued behind another on the same connection waits inside it).
// - PGlite: its protocol calls (execProtocolStream), charged to the statement whose Parse (extended
//   protocol) or Query (simple protocol) message came last: PGlite runs one statement at a time.
// On SIGUSR2 the figures so far are written to $SQL_PROFILE_DIR/sql-<pid>-<n>.json and reset: a bench
// signals before and after the part it measures.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

const dir = process.env['SQL_PROFILE_DIR'] ?? '/tmp';
let byStatement = new Map();
let dumps = 0;

const keyOf = (sql) => String(sql).replace(/\s+/g, ' ').trim().slice(0, 110);
const charge = (key, ms, calls) => {
  const e = byStatement.get(key) ?? { ms: 0, n: 0 };
  e.ms += ms;
  e.n += calls;
  byStatement.set(key, e);
};

const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  const t0 = performance.now();
  const done = () => {
    if (text) charge(keyOf(text), performance.now() - t0, 1);
  };
  // pg-pool's query passes a callback (values or callback last); a client's own query answers a promise.
  if (typeof callback === 'function')
    return clientQuery.call(this, config, values, (...args) => {
      done();
      return callback(...args);
    });
  if (typeof values === 'function')
    return clientQuery.call(this, config, (...args) => {
      done();
      return values(...args);
    });
  const res = clientQuery.call(this, config, values);
  if (res && typeof res.then === 'function') res.then(done, done);
  return res;
};

let current = '(none)';
const decoder = new TextDecoder();
/** The SQL text of a Parse ('P': name, text) or Query ('Q': text) message, or undefined. */
function sqlOf(message) {
  if (!(message instanceof Uint8Array) || message.length < 6) return undefined;
  const type = message[0];
  if (type !== 0x50 && type !== 0x51) return undefined;
  let at = 5;
  if (type === 0x50) {
    while (at < message.length && message[at] !== 0) at += 1; // the statement's name
    at += 1;
  }
  let end = at;
  while (end < message.length && message[end] !== 0) end += 1;
  return decoder.decode(message.subarray(at, end));
}
const stream = PGlite.prototype.execProtocolStream;
PGlite.prototype.execProtocolStream = async function (message, opts) {
  const sql = sqlOf(message);
  if (sql !== undefined) current = keyOf(sql);
  const key = current;
  const t0 = performance.now();
  try {
    return await stream.call(this, message, opts);
  } finally {
    charge(key, performance.now() - t0, sql !== undefined ? 1 : 0);
  }
};

process.on('SIGUSR2', () => {
  dumps += 1;
  const rows = [...byStatement].map(([sql, e]) => ({ sql, ms: e.ms, n: e.n })).sort((a, b) => b.ms - a.ms);
  writeFileSync(join(dir, `sql-${process.pid}-${dumps}.json`), JSON.stringify(rows));
  byStatement = new Map();
});
