/**
 * The closed catalogue of audit actions. Every audit entry names one of these; the audit-trail
 * viewer and reports render from it. Adding an action is a reviewed change to this file.
 */
export const auditActions = {
  'record.created': 'A quality record was created',
  'record.updated': 'Fields of a quality record were changed',
  'record.transitioned': 'A quality record moved to another workflow state',
  'record.signed': 'An electronic signature was applied to a record',
  'record.linked': 'A typed link to another record was added',
  'record.commented': 'A comment was added to a record',
  'record.attachment_added': 'A file was attached to a record',
  'record.delete_refused': 'An attempt to delete a record was refused',
  'user.created': 'A user account was created',
  'user.roles_changed': 'The roles of a user were changed',
  'user.updated': 'The name or e-mail of a user was corrected',
  'user.deactivated': 'A user was deactivated; sessions and tokens revoked',
  'user.password_reset': 'An administrator issued a temporary password',
  'user.password_changed': 'A user changed their password',
  'user.locked': 'An account was locked after repeated failed authentications',
  'user.unlocked': 'An administrator unlocked an account',
  'user.totp_enrolled': 'A user enrolled a TOTP second factor',
  'user.identity_verified': "An administrator recorded how a person's identity was verified (11.100(b))",
  'user.signature_statement_accepted': 'A person accepted the e-signature accountability statement (11.10(j))',
  'auth.login_succeeded': 'A user signed in',
  'auth.login_failed': 'A sign-in attempt failed',
  'auth.logout': 'A user signed out',
  'auth.signature_failed': 'A signing attempt failed re-authentication',
  'token.created': 'An API token was issued',
  'token.revoked': 'An API token was revoked',
  'site.created': 'A site was created',
  'setup.completed': 'The first administrator was created',
  'audit.verified': 'The audit trail was verified',
} as const;

export type AuditAction = keyof typeof auditActions;
