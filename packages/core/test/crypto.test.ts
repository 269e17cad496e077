import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from '../src/kernel/canonical.js';
import { generateKeyPem, keyFromPem } from '../src/kernel/keys.js';
import { merkleRoot } from '../src/kernel/audit.js';
import { base32Decode, base32Encode, totpCode, verifyTotp } from '../src/identity/totp.js';
import { splitStatements } from '../src/db/migrate.js';

describe('canonical JSON and hashing', () => {
  it('sorts keys, drops undefined and gives equal bytes for equal values', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: 1, y: 2 } })).toBe('{"a":[true,null,"x"],"b":1,"d":{"y":2,"z":1}}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
    expect(canonicalJson(new Date('2026-01-02T03:04:05.006Z'))).toBe('"2026-01-02T03:04:05.006Z"');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('merkle root changes when any leaf changes, is added, removed or reordered', () => {
    const leaves = ['a', 'b', 'c', 'd', 'e'].map((l) => sha256(l));
    const root = merkleRoot(leaves);
    expect(merkleRoot([...leaves])).toBe(root);
    expect(merkleRoot([leaves[1], leaves[0], ...leaves.slice(2)])).not.toBe(root);
    expect(merkleRoot(leaves.slice(0, 4))).not.toBe(root);
    expect(merkleRoot([...leaves, sha256('f')])).not.toBe(root);
  });

  it('[P11-70-1] the instance key signs and verifies; another key or changed text fails', () => {
    const key = keyFromPem(generateKeyPem());
    const other = keyFromPem(generateKeyPem());
    const seal = key.sign('content');
    expect(key.verify('content', seal)).toBe(true);
    expect(key.verify('content!', seal)).toBe(false);
    expect(other.verify('content', seal)).toBe(false);
    expect(key.keyId).not.toBe(other.keyId);
  });
});

describe('TOTP (RFC 6238)', () => {
  const rfcSecret = base32Encode(Buffer.from('12345678901234567890'));
  it('matches the RFC 6238 SHA-1 test vectors (last six digits)', () => {
    expect(totpCode(rfcSecret, new Date(59_000))).toBe('287082');
    expect(totpCode(rfcSecret, new Date(1111111109_000))).toBe('081804');
    expect(totpCode(rfcSecret, new Date(1234567890_000))).toBe('005924');
    expect(totpCode(rfcSecret, new Date(20000000000_000))).toBe('353130');
  });
  it('accepts one step of drift and refuses more', () => {
    const at = new Date(1234567890_000);
    expect(verifyTotp(rfcSecret, totpCode(rfcSecret, new Date(at.getTime() - 30_000)), at)).toBe(true);
    expect(verifyTotp(rfcSecret, totpCode(rfcSecret, new Date(at.getTime() - 90_000)), at)).toBe(false);
    expect(base32Decode(rfcSecret).toString()).toBe('12345678901234567890');
  });
});

describe('migration splitting', () => {
  it('keeps $$ bodies whole and skips comments', () => {
    const statements = splitStatements('-- comment\nCREATE TABLE a (x int);\nCREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  RAISE EXCEPTION \'x\';\nEND\n$$ LANGUAGE plpgsql;\n');
    expect(statements).toHaveLength(2);
    expect(statements[1]).toContain("RAISE EXCEPTION 'x';");
  });
});
