import { describe, expect, it } from 'vitest';
import { loadDemo } from '../src/demo.js';
import { testWorld } from './support/harness.js';

describe('the demo organisation', () => {
  it('loads deviations, documents with revisions in every state, and training that followed them', async () => {
    const world = await testWorld();
    world.clock.now = () => new Date();
    await loadDemo(world.services, 'Demo-password-2026!');
    const documents = await world.db.query<{ number: string; status: string }>("SELECT number, status FROM record WHERE type = 'document' ORDER BY number");
    expect(documents.map((d) => `${d.number}:${d.status}`)).toEqual(['FRM-QA-001:draft', 'POL-QA-001:effective', 'SOP-PRD-001:effective', 'SOP-QC-001:draft']);
    const revisions = await world.db.query<{ number: string; status: string }>("SELECT number, status FROM record WHERE type = 'document_revision' ORDER BY number");
    expect(revisions.map((r) => `${r.number}:${r.status}`)).toEqual([
      'FRM-QA-001 v1.0:draft', 'POL-QA-001 v1.0:effective', 'SOP-PRD-001 v1.0:superseded', 'SOP-PRD-001 v2.0:effective', 'SOP-QC-001 v1.0:in_review',
    ]);
    const open = await world.db.query<{ username: string; number: string }>(
      "SELECT u.username, d.number FROM training_assignment a JOIN app_user u ON u.id = a.user_id JOIN record d ON d.id = a.document_id WHERE a.status = 'open' AND a.due_at < now() ORDER BY 1, 2",
    );
    expect(open).toContainEqual({ username: 'oscar.operator', number: 'SOP-PRD-001' });
    const loop = await world.db.query<{ type: string; status: string }>("SELECT type, status FROM record WHERE type IN ('capa', 'action', 'change') ORDER BY type, status");
    expect(loop).toEqual([{ type: 'action', status: 'done' }, { type: 'action', status: 'open' }, { type: 'capa', status: 'implementation' }, { type: 'change', status: 'in_approval' }]);
  }, 120_000);
});
