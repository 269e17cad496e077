import { describe, expect, it } from 'vitest';
import type { Actor } from '../src/context.js';
import type { RecordRow } from '../src/kernel/records.js';
import { denial, transitionAbilities } from '../src/kernel/workflow.js';
import { deviationWorkflow } from '../src/processes/deviations/workflow.js';

const site = { siteId: '11111111-1111-1111-1111-111111111111', siteCode: 'BER' };
const actorWith = (role: string | null, id = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'): Actor => ({ id, username: role ?? 'nobody', fullName: role ?? 'nobody', roles: role ? [{ role, ...site }] : [] });
const recordIn = (status: string): RecordRow => ({
  id: 'rrrrrrrr-rrrr-rrrr-rrrr-rrrrrrrrrrrr', type: 'deviation', number: 'DEV-BER-2026-0001', site_id: site.siteId, site_code: 'BER', title: 't', status,
  owner_id: 'o', owner_name: 'o', due_date: null, data: {}, version: 1, content_hash: 'h', created_by: 'o', created_at: new Date(), updated_at: new Date(),
});

const roles = ['operator', 'investigator', 'qa_reviewer', 'qa_manager', 'inspector', 'sysadmin', null] as const;
const states = Object.keys(deviationWorkflow.states);
const actions = deviationWorkflow.transitions.map((t) => t.action);

/** The whitelist: (state, action) -> the roles that may take it. Everything else is refused. */
const allowed: Record<string, Record<string, string[]>> = {
  reported: { triage: ['qa_reviewer', 'qa_manager'], cancel: ['qa_reviewer', 'qa_manager'] },
  under_investigation: { submit_investigation: ['investigator', 'qa_reviewer', 'qa_manager'], cancel: ['qa_reviewer', 'qa_manager'] },
  pending_qa_approval: { qa_approve: ['qa_reviewer', 'qa_manager'], return_to_investigation: ['qa_reviewer', 'qa_manager'] },
  approved: { close: ['qa_reviewer', 'qa_manager'] },
  closed: {},
  cancelled: {},
};

describe('deviation workflow definition', () => {
  it('[P11-10f-1] every (state x action x role) is allowed exactly when the whitelist says so', () => {
    const noHistory = new Map<string, Set<string>>();
    let cells = 0;
    for (const state of states) {
      for (const action of actions) {
        const definition = deviationWorkflow.transitions.find((t) => t.action === action);
        if (!definition) throw new Error(action);
        for (const role of roles) {
          const expected = (allowed[state][action] ?? []).includes(role ?? '');
          const refusal = denial(definition, recordIn(state), actorWith(role), noHistory);
          expect(refusal === null, `${state} x ${action} x ${role}: ${refusal?.message}`).toBe(expected);
          if (!expected && !definition.from.includes(state)) expect(refusal?.code).toBe('INVALID_TRANSITION');
          cells++;
        }
      }
    }
    expect(cells).toBe(states.length * actions.length * roles.length);
  });

  it('[P11-10g-3] segregation of duties: the submitter of the investigation is refused approval', () => {
    const approve = deviationWorkflow.transitions.find((t) => t.action === 'qa_approve');
    if (!approve) throw new Error('qa_approve missing');
    const qa = actorWith('qa_manager', 'qqqqqqqq-qqqq-qqqq-qqqq-qqqqqqqqqqqq');
    const history = new Map([['submit_investigation', new Set([qa.id as string])]]);
    expect(denial(approve, recordIn('pending_qa_approval'), qa, history)?.code).toBe('SEGREGATION_OF_DUTIES');
    expect(denial(approve, recordIn('pending_qa_approval'), actorWith('qa_manager'), history)).toBeNull();
  });

  it('[P11-50a-2][P11-10f-2] signatures: approval and closure are signed steps with controlled meanings, final states offer nothing', () => {
    const meanings = Object.fromEntries(deviationWorkflow.transitions.map((t) => [t.action, t.signature?.meanings ?? []]));
    expect(meanings).toEqual({ triage: [], submit_investigation: ['authorship'], return_to_investigation: [], qa_approve: ['approval'], close: ['closure'], cancel: [] });
    for (const state of states.filter((s) => deviationWorkflow.states[s].final)) {
      expect(transitionAbilities(deviationWorkflow, recordIn(state), actorWith('qa_manager'), new Map())).toEqual([]);
    }
  });

  it('every transition leads to a declared state and every state is reachable from the initial one', () => {
    const reachable = new Set([deviationWorkflow.initial]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of deviationWorkflow.transitions) {
        expect(states).toContain(t.to);
        if (t.from.some((f) => reachable.has(f)) && !reachable.has(t.to)) {
          reachable.add(t.to);
          grew = true;
        }
      }
    }
    expect([...reachable].sort()).toEqual([...states].sort());
    expect(deviationWorkflow.clauses.length).toBeGreaterThan(0);
  });
});
