// The hashes and seals of the kernel (packages/core/src/kernel/canonical.ts, records.ts, signatures.ts),
// repeated in plain JavaScript so that records the benchmark writes directly into the database hash and
// verify exactly as records the kernel wrote. Keep in step with those files.
import { createHash, createPublicKey, sign } from 'node:crypto';

/** Canonical JSON: keys sorted by code unit, no whitespace, undefined dropped, dates as ISO strings. */
export function canonicalJson(value) {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sha256 = (text) => createHash('sha256').update(text).digest('hex');

/** What a record's content hash (and so its signatures) covers. */
export const contentOf = (record) => JSON.parse(JSON.stringify({ type: record.type, number: record.number, title: record.title, data: record.data }));

export const contentHash = (record) => sha256(canonicalJson(contentOf(record)));

/** The hash of one version, chained to the previous version's hash. */
export const versionHash = (prevHash, version) => sha256((prevHash ?? '') + canonicalJson(version));

/** The instance key as the kernel uses it: key id (first 16 hex of the SPKI's SHA-256) and an Ed25519 seal. */
export function instanceKey(privateKey) {
  const keyId = sha256(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })).slice(0, 16);
  return { keyId, seal: (message) => sign(null, Buffer.from(message), privateKey).toString('base64') };
}

/** The fields a signature's seal covers (signatures.ts sealedFields). */
export const sealedFields = (s) =>
  canonicalJson({
    id: s.id,
    recordId: s.record_id,
    recordVersion: s.record_version,
    contentHash: s.content_hash,
    signerId: s.signer_id,
    signerName: s.signer_name,
    meaning: s.meaning,
    action: s.action,
    signedAt: s.signed_at,
  });

/** A UUID (version 4 layout) derived from a text, the same in JavaScript as in SQL (bench_uuid). */
export function benchUuid(text) {
  const hex = createHash('md5').update(text).digest('hex');
  const h = `${hex.slice(0, 12)}4${hex.slice(13, 16)}8${hex.slice(17)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The SQL twin of benchUuid, created in the generating session only. */
export const benchUuidSql = `CREATE FUNCTION pg_temp.bench_uuid(t text) RETURNS uuid LANGUAGE sql IMMUTABLE AS
  $$ SELECT overlay(overlay(md5(t) PLACING '4' FROM 13 FOR 1) PLACING '8' FROM 17 FOR 1)::uuid $$`;
