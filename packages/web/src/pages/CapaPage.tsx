import { Badge, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ActionPlanSection } from '../capa/ActionPlan';
import { CapaHeader } from '../capa/CapaHeader';
import { type CapaDetail, capaEndpoints } from '../capa/endpoints';
import { ExtensionsPanel } from '../capa/ExtensionsPanel';
import { InvestigationSection } from '../capa/Investigation';
import { capaFields } from '../capa/labels';
import { ProblemSection } from '../capa/ProblemSection';
import { FieldsSection } from '../capa/Section';
import { StartInvestigationStep } from '../capa/Steps';
import { Loading, QueryError } from '../components/common';
import type { Me, TransitionAbility } from '../endpoints';
import { fieldDef } from '../record/fields';
import { Panel, RecordGrid, RecordTabs, WorkflowPanel } from '../record/RecordPage';
import { SignaturesPanel } from '../record/SignaturesPanel';
import { TransitionDialog } from '../record/TransitionDialog';
import type { RecordTypeConfig } from '../record/types';

const capaConfig: RecordTypeConfig<CapaDetail> = {
  listKey: 'capas',
  noun: 'CAPA',
  fields: capaFields,
  update: capaEndpoints.updateCapa,
  transition: capaEndpoints.transitionCapa,
};

const effectivenessFields = ['effectivenessCriteria', 'effectivenessMethod', 'effectivenessDueDate', 'effectivenessEvidence'].map((name) => fieldDef(capaFields, name));
const closureFields = [fieldDef(capaFields, 'closureSummary')];

/** What the CAPA waits for in each status, said once above the workflow buttons. */
const nextStep: Record<string, string> = {
  open: 'State the problem and rate the risk, then start the investigation.',
  investigation: 'Record the 5 whys, the Ishikawa causes and the root cause, plan the actions; QA then approves the plan with a signature.',
  implementation: 'Each action owner completes their action with evidence. When all are done, plan the effectiveness check.',
  effectiveness_check: 'Someone other than the CAPA owner checks the effectiveness against the criteria and signs the result.',
  verified: 'QA closes the CAPA with a summary and a signature.',
};

/**
 * Two guards of the CAPA live in its command rather than in the workflow the abilities come from: at
 * least one action before the plan is approved, every action done before the effectiveness check.
 * Said on the button before the server would refuse (the server still decides).
 */
function withPlanGuards(capa: CapaDetail): TransitionAbility[] {
  const live = capa.actions.filter((a) => a.status !== 'cancelled');
  const open = live.filter((a) => a.status !== 'done');
  return capa.abilities.transitions.map((t) => {
    if (!t.allowed) return t;
    if (t.action === 'approve_plan' && live.length === 0) return { ...t, allowed: false, deniedBecause: 'Plan at least one corrective or preventive action first' };
    if (t.action === 'submit_for_effectiveness' && open.length > 0) {
      return { ...t, allowed: false, deniedBecause: `${open.length} action${open.length === 1 ? ' is' : 's are'} still open: ${open.map((a) => a.number).join(', ')}` };
    }
    return t;
  });
}

/** A CAPA: problem and risk, investigation, action plan, effectiveness, with its workflow and evidence. */
export function CapaPage({ id, me }: { id: string; me: Me }) {
  const capa = useQuery({ queryKey: ['record', id], queryFn: () => capaEndpoints.getCapa(id) });
  if (capa.isPending) return <Loading label="Loading the CAPA…" />;
  if (capa.isError) return <QueryError error={capa.error} what="this CAPA" />;
  return <CapaView capa={capa.data} me={me} onReload={() => void capa.refetch()} />;
}

function CapaView({ capa, me, onReload }: { capa: CapaDetail; me: Me; onReload: () => void }) {
  const [step, setStep] = useState<TransitionAbility | null>(null);
  const { data } = capa;
  const final = capa.status === 'closed' || capa.status === 'cancelled';
  const stepProps = step ? { record: capa, transition: step, config: capaConfig, me, onClose: () => setStep(null), onReload } : null;
  const effectivenessBadge = data.effectivenessResult ? (
    <Badge color={data.effectivenessResult === 'effective' ? 'teal' : 'red'} variant="light" tt="none" mb="sm" data-testid="effectiveness-result">
      {data.effectivenessResult === 'effective' ? 'Verified effective' : 'Found not effective: investigation reopened'}
    </Badge>
  ) : null;

  const planned = data.effectivenessCriteria || data.effectivenessMethod || data.effectivenessDueDate;
  const effectivenessHint =
    !planned && ['open', 'investigation', 'implementation'].includes(capa.status) ? (
      <Text size="sm" c="dimmed" mb="sm">
        Planned when every action is done: the criteria that show the problem is solved, how and when they are checked.
      </Text>
    ) : null;
  const workflow = (props: { hiddenFrom?: string; visibleFrom?: string }) => (
    <WorkflowPanel title="Workflow" titleGap="xs" transitions={withPlanGuards(capa)} onStart={setStep} {...props}>
      {nextStep[capa.status] && (
        <Text size="sm" c="dimmed" mb="sm">
          {nextStep[capa.status]}
        </Text>
      )}
    </WorkflowPanel>
  );

  return (
    <Stack gap="md">
      <CapaHeader capa={capa} />
      {/* On narrower screens the workflow buttons come first, not under every section. */}
      {workflow({ hiddenFrom: 'lg' })}
      <RecordGrid
        main={
          <Stack gap="md">
            <ProblemSection capa={capa} onReload={onReload} />
            <InvestigationSection capa={capa} onReload={onReload} />
            <ActionPlanSection capa={capa} />
            <FieldsSection
              title="Effectiveness check"
              testId="capa-effectiveness"
              record={capa}
              fields={effectivenessFields}
              canEdit={capa.abilities.update && ['implementation', 'effectiveness_check'].includes(capa.status)}
              update={capaEndpoints.updateCapa}
              listKey="capas"
              onReload={onReload}
              before={effectivenessBadge ?? effectivenessHint}
            />
            {(data.closureSummary || capa.status === 'verified' || capa.status === 'closed') && (
              <FieldsSection title="Closure" record={capa} fields={closureFields} canEdit={false} update={capaEndpoints.updateCapa} listKey="capas" onReload={onReload} />
            )}
          </Stack>
        }
        aside={
          <>
            {workflow({ visibleFrom: 'lg' })}
            <Panel title="Due-date extensions" label="Due date">
              <ExtensionsPanel record={capa} canRequest={capa.abilities.requestExtension} me={me} closed={final} />
            </Panel>
            <Panel title="Signatures">
              <SignaturesPanel recordId={capa.id} />
            </Panel>
          </>
        }
      />

      <RecordTabs record={capa} fields={capaFields} />

      {stepProps && (stepProps.transition.action === 'start_investigation' ? <StartInvestigationStep {...stepProps} /> : <TransitionDialog {...stepProps} />)}
    </Stack>
  );
}
