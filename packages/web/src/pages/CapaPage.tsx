import { Badge, Box, Grid, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
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
import { AttachmentsTab } from '../record/AttachmentsTab';
import { AuditTrailTab } from '../record/AuditTrailTab';
import { CommentsTab } from '../record/CommentsTab';
import { fieldDef } from '../record/fields';
import { LinksTab } from '../record/LinksTab';
import { ActionsPanel } from '../record/RecordPage';
import { SignaturesPanel } from '../record/SignaturesPanel';
import { TransitionDialog } from '../record/TransitionDialog';
import type { RecordTypeConfig } from '../record/types';
import { VersionsTab } from '../record/VersionsTab';

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
    <Paper component="section" withBorder p="md" radius="md" aria-label="Workflow actions" {...props}>
      <Title order={4} mb="xs">
        Workflow
      </Title>
      {nextStep[capa.status] && (
        <Text size="sm" c="dimmed" mb="sm">
          {nextStep[capa.status]}
        </Text>
      )}
      <ActionsPanel transitions={withPlanGuards(capa)} onStart={setStep} />
    </Paper>
  );

  return (
    <Stack gap="md">
      <CapaHeader capa={capa} />
      {/* On narrower screens the workflow buttons come first, not under every section. */}
      {workflow({ hiddenFrom: 'lg' })}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
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
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            {workflow({ visibleFrom: 'lg' })}
            <Paper component="section" withBorder p="md" radius="md" aria-label="Due date">
              <Title order={4} mb="sm">
                Due-date extensions
              </Title>
              <ExtensionsPanel record={capa} canRequest={capa.abilities.requestExtension} me={me} closed={final} />
            </Paper>
            <Paper withBorder p="md" radius="md">
              <Title order={4} mb="sm">
                Signatures
              </Title>
              <SignaturesPanel recordId={capa.id} />
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>

      <Paper withBorder radius="md">
        <Tabs defaultValue="audit" keepMounted={false}>
          <Tabs.List px="sm" pt={4}>
            <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
            <Tabs.Tab value="versions">Versions</Tabs.Tab>
            <Tabs.Tab value="links">Links &amp; trace</Tabs.Tab>
            <Tabs.Tab value="comments">Comments</Tabs.Tab>
            <Tabs.Tab value="attachments">Attachments</Tabs.Tab>
          </Tabs.List>
          <Box p="md">
            <Tabs.Panel value="audit">
              <AuditTrailTab recordId={capa.id} fields={capaFields} />
            </Tabs.Panel>
            <Tabs.Panel value="versions">
              <VersionsTab recordId={capa.id} fields={capaFields} />
            </Tabs.Panel>
            <Tabs.Panel value="links">
              <LinksTab recordId={capa.id} canLink={capa.abilities.link} />
            </Tabs.Panel>
            <Tabs.Panel value="comments">
              <CommentsTab recordId={capa.id} canComment={capa.abilities.comment} />
            </Tabs.Panel>
            <Tabs.Panel value="attachments">
              <AttachmentsTab recordId={capa.id} canAttach={capa.abilities.attach} />
            </Tabs.Panel>
          </Box>
        </Tabs>
      </Paper>

      {stepProps && (stepProps.transition.action === 'start_investigation' ? <StartInvestigationStep {...stepProps} /> : <TransitionDialog {...stepProps} />)}
    </Stack>
  );
}
