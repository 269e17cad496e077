import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { SecuritySettings } from '../context.js';
import type { Queryable } from '../db/database.js';
import { DomainError } from '../errors.js';

// argon2id (the library's default algorithm) with OWASP's minimum cost: 19 MiB, 2 passes.
const argonOptions = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, argonOptions);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, to spend the same time on unknown user names as on known ones. */
let decoyHash: Promise<string> | undefined;
export function decoyVerify(password: string): Promise<boolean> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return decoyHash.then((h) => verifyPassword(h, password));
}

const common = new Set(['password1234', '123456789012', 'qwertyuiopas', 'passwordpassword', 'welcome12345', 'letmein12345']);

/** Checks a new password against the policy (length, content, history); throws PASSWORD_POLICY. */
export async function checkPasswordPolicy(db: Queryable, settings: SecuritySettings, user: { id: string | null; username: string }, password: string, field = 'newPassword'): Promise<void> {
  const problems: string[] = [];
  if (password.length < settings.passwordMinLength) problems.push(`must be at least ${settings.passwordMinLength} characters`);
  if (password.toLowerCase().includes(user.username.toLowerCase())) problems.push('must not contain the user name');
  if (/^(.)\1*$/.test(password) || common.has(password.toLowerCase())) problems.push('is too easy to guess');
  if (problems.length === 0 && user.id) {
    const history = await db.query<{ password_hash: string }>(
      'SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2',
      [user.id, settings.passwordHistory],
    );
    for (const h of history) {
      if (await verifyPassword(h.password_hash, password)) {
        problems.push(`must differ from the last ${settings.passwordHistory} passwords`);
        break;
      }
    }
  }
  if (problems.length > 0) {
    throw new DomainError('PASSWORD_POLICY', `The password ${problems.join('; ')}`, problems.map((message) => ({ path: field, message })));
  }
}

/** A random temporary password, readable and strong enough (about 100 bits). */
export function temporaryPassword(): string {
  return randomBytes(16).toString('base64url').slice(0, 20);
}
