import { resolve } from 'node:path';
import { z } from 'zod';
import type { SecuritySettings } from './context.js';

const intFrom = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

/** Every setting Verity reads, with its environment variable: parsed once, at start. */
export const settingsSchema = z.object({
  DATABASE_URL: z.string().url().optional().describe('PostgreSQL connection URL; when unset, the embedded database in VERITY_DATA_DIR is used'),
  VERITY_DATA_DIR: z.string().default('./data').describe('Folder of the embedded database, the instance key and the file store'),
  PORT: intFrom(3000, 1, 65535).describe('HTTP port'),
  HOST: z.string().default('127.0.0.1').describe('Address to listen on (0.0.0.0 to serve the network)'),
  VERITY_KEY_FILE: z.string().optional().describe('Ed25519 private key (PEM) that seals signatures and audit checkpoints; default <data dir>/instance-key.pem'),
  VERITY_FILES_DIR: z.string().optional().describe('Content-addressed file store; default <data dir>/files'),
  VERITY_SESSION_IDLE_MINUTES: intFrom(15, 1, 240).describe('Sign-out after this many idle minutes'),
  VERITY_SESSION_ABSOLUTE_HOURS: intFrom(12, 1, 72).describe('Maximum session lifetime'),
  VERITY_LOCKOUT_THRESHOLD: intFrom(5, 3, 10).describe('Consecutive failed sign-ins or signatures that lock an account'),
  VERITY_PASSWORD_MIN_LENGTH: intFrom(12, 8, 128).describe('Minimum password length'),
  VERITY_PASSWORD_HISTORY: intFrom(5, 1, 24).describe('Previous passwords that may not be reused'),
  VERITY_PASSWORD_MAX_AGE_DAYS: intFrom(90, 1, 3650).describe('Days after which a password must be changed'),
  VERITY_TEMP_PASSWORD_HOURS: intFrom(24, 1, 72).describe('Validity of a temporary password issued by an administrator'),
  VERITY_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto').describe('Secure flag on the session cookie (auto: when the request came over TLS)'),
  VERITY_TRUST_PROXY: z.enum(['true', 'false']).default('false').describe('Take the client address from X-Forwarded-For (only behind a trusted reverse proxy)'),
  VERITY_LOGIN_RATE_LIMIT: intFrom(20, 1, 100000).describe('Sign-in and setup attempts per minute per client address'),
  VERITY_TRAINING_ESCALATION_DAYS: intFrom(7, 1, 365).describe("Days overdue after which a person's open training is escalated to their manager"),
  VERITY_ESCALATION_DAYS: intFrom(7, 1, 365).describe("Days overdue after which an open CAPA, action, change or deviation is escalated to its owner's manager"),
  VERITY_CAPA_INDEPENDENT_EFFECTIVENESS: z.enum(['true', 'false']).default('true').describe('The effectiveness check of a CAPA is signed by someone other than its owner (recorded in each CAPA when it is opened)'),
  SMTP_URL: z.string().url().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional().describe('SMTP server, e.g. smtps://user:password@host; unset: no e-mail'),
  MAIL_FROM: z.string().default('Verity <verity@localhost>').describe('Sender address of e-mail'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Parses the environment (plus overrides from the command line) or throws a list of every problem. */
export function parseSettings(env: Record<string, string | undefined>, overrides: Partial<Record<keyof Settings, string>> = {}): Settings {
  const result = settingsSchema.safeParse({ ...env, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) });
  if (!result.success) {
    throw new Error(`Invalid settings:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return result.data;
}

export function securitySettingsOf(s: Settings): SecuritySettings {
  return {
    sessionIdleMinutes: s.VERITY_SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: s.VERITY_SESSION_ABSOLUTE_HOURS,
    lockoutThreshold: s.VERITY_LOCKOUT_THRESHOLD,
    passwordMinLength: s.VERITY_PASSWORD_MIN_LENGTH,
    passwordHistory: s.VERITY_PASSWORD_HISTORY,
    passwordMaxAgeDays: s.VERITY_PASSWORD_MAX_AGE_DAYS,
    temporaryPasswordHours: s.VERITY_TEMP_PASSWORD_HOURS,
    trainingEscalationDays: s.VERITY_TRAINING_ESCALATION_DAYS,
    escalationDays: s.VERITY_ESCALATION_DAYS,
    capaIndependentEffectiveness: s.VERITY_CAPA_INDEPENDENT_EFFECTIVENESS === 'true',
  };
}

export const dataDirOf = (s: Settings) => resolve(s.VERITY_DATA_DIR);
export const keyFileOf = (s: Settings) => resolve(s.VERITY_KEY_FILE ?? `${dataDirOf(s)}/instance-key.pem`);
export const filesDirOf = (s: Settings) => resolve(s.VERITY_FILES_DIR ?? `${dataDirOf(s)}/files`);
