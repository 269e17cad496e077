import { Alert, Box, Grid, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
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
import { AttachmentsTab } from '../record/AttachmentsTab';
import { AuditTrailTab } from '../record/AuditTrailTab';
import { CommentsTab } from '../record/CommentsTab';
import { LinksTab } from '../record/LinksTab';
import { ActionsPanel } from '../record/RecordPage';
import { SignaturesPanel } from '../record/SignaturesPanel';
import type { RecordTypeConfig } from '../record/types';
import { VersionsTab } from '../record/VersionsTab';

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
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <RequestSection change={change} onReload={onReload} />
            <ImpactAssessment change={change} onReload={onReload} />
            <ImpactView change={change} />
            {(implementing || change.abilities.addAction) && <TasksPanel change={change} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Paper component="section" withBorder p="md" radius="md" aria-label="Workflow actions">
              <Title order={4} mb="sm">
                Actions
              </Title>
              <NextStep change={change} />
              <ActionsPanel transitions={change.abilities.transitions} onStart={setStep} />
            </Paper>
            <Paper component="section" withBorder p="md" radius="md" aria-label="Approvals">
              <Title order={4} mb="sm">
                Approvals
              </Title>
              <ApprovalsPanel change={change} meId={me.id} />
            </Paper>
            <Paper component="section" withBorder p="md" radius="md" aria-label="Signatures">
              <Title order={4} mb="sm">
                Signatures
              </Title>
              <SignaturesPanel recordId={change.id} />
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
              <AuditTrailTab recordId={change.id} fields={changeFields} />
            </Tabs.Panel>
            <Tabs.Panel value="versions">
              <VersionsTab recordId={change.id} fields={changeFields} />
            </Tabs.Panel>
            <Tabs.Panel value="links">
              <LinksTab recordId={change.id} canLink={change.abilities.link} />
            </Tabs.Panel>
            <Tabs.Panel value="comments">
              <CommentsTab recordId={change.id} canComment={change.abilities.comment} />
            </Tabs.Panel>
            <Tabs.Panel value="attachments">
              <AttachmentsTab recordId={change.id} canAttach={change.abilities.attach} />
            </Tabs.Panel>
          </Box>
        </Tabs>
      </Paper>

      {step && <ChangeStep record={change} transition={step} config={config} me={me} onClose={() => setStep(null)} onReload={onReload} />}
    </Stack>
  );
}
