import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sha256 } from './canonical.js';

/** The instance's Ed25519 key that seals signatures and audit checkpoints. */
export interface InstanceKey {
  readonly keyId: string;
  /** The public half (SPKI PEM), published so that exported records can be verified elsewhere. */
  readonly publicKeyPem: string;
  sign(message: string): string;
  verify(message: string, signature: string): boolean;
}

function fromPrivate(privateKey: KeyObject): InstanceKey {
  const publicKey = createPublicKey(privateKey);
  const keyId = sha256(publicKey.export({ type: 'spki', format: 'der' })).slice(0, 16);
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString('base64'),
    verify: (message, signature) => {
      try {
        return verify(null, Buffer.from(message), publicKey, Buffer.from(signature, 'base64'));
      } catch {
        return false;
      }
    },
  };
}

/** Loads the key from a PEM file, creating it (mode 0600) on first use. */
export function loadOrCreateKey(file: string): InstanceKey {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  return fromPrivate(createPrivateKey(readFileSync(file)));
}

/** A key from PEM text (tests and configured secrets). */
export function keyFromPem(pem: string): InstanceKey {
  return fromPrivate(createPrivateKey(pem));
}

export function generateKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}
