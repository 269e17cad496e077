import { Alert, Box, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ApprovalsPanel } from '../changes/ApprovalsPanel';
import { ChangeHeader } from '../changes/ChangeHeader';
import { ChangeStep, ReadinessList, readiness } from '../changes/ChangeSteps';
import { type ChangeDetail, type ChangeEdit, changeEndpoints } from '../changes/endpoints';
import { ImpactAssessment } from '../changes/ImpactAssessment';
import { ImpactView } from '../changes/ImpactView';
import { changeFields } from '../changes/labels';
import { RequestSection } from '../changes/RequestSection';
import { TasksPanel } from '../changes/TasksPanel';
import { Loading, QueryError } from '../components/common';
import type { Me, TransitionAbility } from '../endpoints';
import { Panel, RecordGrid, RecordTabs, WorkflowPanel } from '../record/RecordPage';
import { SignaturesPanel } from '../record/SignaturesPanel';
import type { RecordTypeConfig } from '../record/types';

export function ChangePage({ id, me }: { id: string; me: Me }) {
  const change = useQuery({ queryKey: ['record', id], queryFn: () => changeEndpoints.get(id) });
  if (change.isPending) return <Loading label="Loading the change…" />;
  if (change.isError) return <QueryError error={change.error} what="this change" />;
  return <ChangeView change={change.data} me={me} onReload={() => void change.refetch()} />;
}

/** A hint of what happens next, by status: who acts and what they need. */
function NextStep({ change }: { change: ChangeDetail }) {
  if (change.status === 'draft') {
    const items = readiness(change);
    return (
      <Box mb="sm">
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.3 }} mb={4}>
          Before approval ({items.filter((i) => i.met).length}/{items.length})
        </Text>
        <ReadinessList items={items} />
      </Box>
    );
  }
  const text: Record<string, string> = {
    in_approval: 'Each named approver signs for their areas; implementation starts when all have signed.',
    implementation: 'Do the tasks and bring the linked revisions into effect, then send the change for verification.',
    verification: 'Someone other than the owner verifies that the change works as intended and signs.',
  };
  return text[change.status] ? (
    <Alert color="blue" variant="light" p="xs" mb="sm">
      <Text size="xs">{text[change.status]}</Text>
    </Alert>
  ) : null;
}

function ChangeView({ change, me, onReload }: { change: ChangeDetail; me: Me; onReload: () => void }) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState<TransitionAbility | null>(null);
  const config = useMemo<RecordTypeConfig<ChangeDetail>>(
    () => ({
      listKey: 'changes',
      noun: 'Change control',
      fields: changeFields,
      update: (cid, body) => changeEndpoints.update(cid, body as unknown as ChangeEdit),
      transition: async (cid, body) => {
        const updated = await changeEndpoints.transition(cid, body);
        void queryClient.invalidateQueries({ queryKey: ['record', cid] });
        return updated;
      },
    }),
    [queryClient],
  );
  const implementing = ['implementation', 'verification', 'closed'].includes(change.status) || change.actions.length > 0;

  return (
    <Stack gap="md">
      <ChangeHeader change={change} />
      <RecordGrid
        main={
          <Stack gap="md">
            <RequestSection change={change} onReload={onReload} />
            <ImpactAssessment change={change} onReload={onReload} />
            <ImpactView change={change} />
            {(implementing || change.abilities.addAction) && <TasksPanel change={change} />}
          </Stack>
        }
        aside={
          <>
            <WorkflowPanel transitions={change.abilities.transitions} onStart={setStep}>
              <NextStep change={change} />
            </WorkflowPanel>
            <Panel title="Approvals" label="Approvals">
              <ApprovalsPanel change={change} meId={me.id} />
            </Panel>
            <Panel title="Signatures" label="Signatures">
              <SignaturesPanel recordId={change.id} />
            </Panel>
          </>
        }
      />

      <RecordTabs record={change} fields={changeFields} />

      {step && <ChangeStep record={change} transition={step} config={config} me={me} onClose={() => setStep(null)} onReload={onReload} />}
    </Stack>
  );
}
