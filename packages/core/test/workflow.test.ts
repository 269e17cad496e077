import { describe, expect, it } from 'vitest';
import type { Actor } from '../src/context.js';
import type { RecordRow } from '../src/kernel/records.js';
import { denial, transitionAbilities } from '../src/kernel/workflow.js';
import { capaWorkflow } from '../src/processes/capa/workflow.js';
import { changeWorkflow } from '../src/processes/changes/workflow.js';
import { deviationWorkflow } from '../src/processes/deviations/workflow.js';
import { revisionWorkflow } from '../src/processes/documents/workflow.js';
import { workflows } from '../src/processes/registry.js';

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

describe('every process workflow', () => {
  it('[P11-10f-1] every transition leads to a declared state, every state is reachable, final states offer nothing, clauses are cited', () => {
    for (const workflow of workflows) {
      const declared = Object.keys(workflow.states);
      const reachable = new Set([workflow.initial]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const t of workflow.transitions) {
          expect(declared, `${workflow.type}: ${t.action} -> ${t.to}`).toContain(t.to);
          if (t.from.some((f) => reachable.has(f)) && !reachable.has(t.to)) {
            reachable.add(t.to);
            grew = true;
          }
        }
      }
      expect([...reachable].sort(), workflow.type).toEqual([...declared].sort());
      expect(workflow.clauses.length, workflow.type).toBeGreaterThan(0);
      for (const state of declared.filter((s) => workflow.states[s].final)) {
        expect(transitionAbilities(workflow, { ...recordIn(state), type: workflow.type }, actorWith('qa_manager'), new Map()), `${workflow.type} ${state}`).toEqual([]);
      }
    }
  });

  it('[P11-10g-3] CAPA: only QA approves the plan and closes; the owner may not verify effectiveness; a failed check reopens', () => {
    const capa = (status: string, owner = 'o') => ({ ...recordIn(status), type: 'capa', owner_id: owner });
    const t = (action: string) => capaWorkflow.transitions.find((d) => d.action === action) ?? (() => { throw new Error(action); })();
    for (const role of ['operator', 'investigator', 'inspector', 'sysadmin', 'document_controller', 'trainer']) {
      expect(denial(t('approve_plan'), capa('investigation'), actorWith(role), new Map()), role).not.toBeNull();
      expect(denial(t('close'), capa('verified'), actorWith(role), new Map()), role).not.toBeNull();
    }
    expect(denial(t('approve_plan'), capa('investigation'), actorWith('qa_reviewer'), new Map())).toBeNull();
    const owner = actorWith('qa_manager', 'owner-id');
    expect(denial(t('verify_effective'), capa('effectiveness_check', 'owner-id'), owner, new Map())?.message).toContain('owner');
    expect(denial(t('verify_effective'), capa('effectiveness_check', 'someone-else'), owner, new Map())).toBeNull();
    expect(t('verify_not_effective').to).toBe('investigation');
    expect(t('close').from).toEqual(['verified']);
    expect(Object.fromEntries(capaWorkflow.transitions.map((d) => [d.action, d.signature?.meanings ?? []]))).toMatchObject({ approve_plan: ['approval'], verify_effective: ['verification'], close: ['closure'] });
  });

  it('[P11-10g-3] change control and document revisions: only named approvers/reviewers act, once each; authors and owners never approve their own', () => {
    const change = { ...recordIn('in_approval'), type: 'change', owner_id: 'owner', data: { approvers: { documents: 'dc', training: 'tr' } } };
    const approve = changeWorkflow.transitions.find((d) => d.action === 'approve');
    const start = changeWorkflow.transitions.find((d) => d.action === 'start_implementation');
    if (!approve || !start) throw new Error('change transitions missing');
    expect(denial(approve, change, actorWith('document_controller', 'dc'), new Map())).toBeNull();
    expect(denial(approve, change, actorWith('qa_manager', 'someone'), new Map())?.message).toContain('not a named approver');
    expect(denial(approve, change, actorWith('document_controller', 'dc'), new Map([['approve', new Set(['dc'])]]))?.message).toContain('already');
    expect(denial(start, change, actorWith('qa_manager', 'owner'), new Map([['approve', new Set(['dc'])]]))?.message).toContain('1 required approval');
    const revision = { ...recordIn('in_review'), type: 'document_revision', owner_id: 'author', data: { reviewerIds: ['r1'] } };
    const approveRevision = revisionWorkflow.transitions.find((d) => d.action === 'approve');
    if (!approveRevision) throw new Error('approve missing');
    expect(denial(approveRevision, revision, actorWith('qa_manager', 'author'), new Map([['review', new Set(['r1'])]]))).not.toBeNull();
    expect(denial(approveRevision, revision, actorWith('qa_manager', 'qa'), new Map())?.message).toContain('review');
    expect(denial(approveRevision, revision, actorWith('qa_manager', 'qa'), new Map([['review', new Set(['r1'])]]))).toBeNull();
    expect(denial(approveRevision, revision, actorWith('document_controller', 'dc'), new Map([['review', new Set(['r1'])]]))?.code).toBe('FORBIDDEN');
  });
});
