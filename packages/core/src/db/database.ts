import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';

/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A transaction handle: passed explicitly to every command (STYLE.md habit 3). */
export type Tx = Queryable;

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters; returns the rows of the last one. A failure rolls back what the script began. */
  exec<T = Record<string, unknown>>(script: string): Promise<T[]>;
  close(): Promise<void>;
}

// int8 and numeric come back as strings from pg and numbers from PGlite; normalise to numbers
// (our counts and sequences stay far below 2^53).
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
pg.types.setTypeParser(1082, (v) => v); // date stays 'YYYY-MM-DD', never shifted by a time zone

const pgliteParsers = { [pgliteTypes.INT8]: (v: string) => Number.parseInt(v, 10), [pgliteTypes.DATE]: (v: string) => v };

/** Opens (creating if needed) the embedded PostgreSQL in a data folder, or in memory when dataDir is undefined. */
export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<Database> {
  const pglite = new PGlite({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    parsers: pgliteParsers,
    postgresqlconf: ['shared_buffers = 16MB'],
  });
  await pglite.waitReady;
  return wrapPglite(pglite);
}

export function wrapPglite(pglite: PGlite): Database & { pglite: PGlite } {
  return {
    kind: 'pglite',
    pglite,
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pglite.query<T>(sql, params)).rows;
    },
    transaction<T>(fn: (tx: Tx) => Promise<T>) {
      return pglite.transaction((tx) =>
        fn({ query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows }),
      );
    },
    async exec<T>(script: string) {
      try {
        const results = await pglite.exec(script);
        return (results[results.length - 1]?.rows ?? []) as T[];
      } catch (error) {
        // One connection: a script that failed inside BEGIN must not leave it in an aborted transaction.
        await pglite.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    close: () => pglite.close(),
  };
}

/** Connects to a PostgreSQL server through a pool. */
export function openPostgres(connectionString: string, poolSize = 10): Database {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client that loses its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async transaction<T>(fn: (tx: Tx) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[] });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec<T>(script: string) {
      const client = await pool.connect();
      try {
        const result = (await client.query(script)) as unknown as pg.QueryResult | pg.QueryResult[];
        return (Array.isArray(result) ? (result[result.length - 1]?.rows ?? []) : result.rows) as T[];
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** The PostgreSQL error code (SQLSTATE) of a driver error, if any. */
export function sqlState(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
