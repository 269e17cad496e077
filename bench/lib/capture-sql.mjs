// Loaded into the server process by the benchmark (node --import): after SIGUSR2 it appends every
// statement the server sends through pg, with its parameters, to the file named by BENCH_SQL_LOG,
// until the next SIGUSR2. The benchmark then EXPLAINs exactly what the server ran, whatever the
// current code of the queries is. Nothing is recorded unless switched on.
import { appendFileSync } from 'node:fs';
import pg from 'pg';

const file = process.env.BENCH_SQL_LOG;
let recording = false;
process.on('SIGUSR2', () => {
  recording = !recording;
});

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function recordedQuery(config, values, callback) {
  if (recording && file) {
    const text = typeof config === 'string' ? config : config?.text;
    const params = Array.isArray(values) ? values : config?.values;
    if (text) appendFileSync(file, `${JSON.stringify({ text, params: params ?? [] })}\n`);
  }
  return query.call(this, config, values, callback);
};
