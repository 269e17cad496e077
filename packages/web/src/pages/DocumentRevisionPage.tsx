import { Alert, Anchor, Badge, Box, Grid, Group, Paper, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { DateTime, Empty, Loading, QueryError, StatusBadge } from '../components/common';
import { type DocumentDetail, documentEndpoints, documentFiles, type RevisionChange, type RevisionDetail } from '../documents/endpoints';
import { changeTypeLabels, revisionFields } from '../documents/labels';
import { RevisionEditor } from '../documents/RevisionEditor';
import { EffectivityBanner, ReviewersPanel, RevisionContent, TrainingEvidenceTab, TrainingPanel } from '../documents/RevisionPanels';
import { ApproveStep, SubmitStep } from '../documents/Steps';
import type { Me, TransitionAbility } from '../endpoints';
import { AuditTrailTab } from '../record/AuditTrailTab';
import { CommentsTab } from '../record/CommentsTab';
import { LinksTab } from '../record/LinksTab';
import { ActionsPanel, Meta } from '../record/RecordPage';
import { SignatureCard } from '../record/SignaturesPanel';
import { TransitionDialog } from '../record/TransitionDialog';
import type { RecordTypeConfig } from '../record/types';
import { VersionsTab } from '../record/VersionsTab';
import { linkProps } from '../router';

/** A revision of a controlled document: its effectivity, the draft editor or the approved text, review, approval, training. */
export function DocumentRevisionPage({ id, me }: { id: string; me: Me }) {
  const revision = useQuery({ queryKey: ['record', id], queryFn: () => documentEndpoints.getRevision(id) });
  const reload = useCallback(async () => (await revision.refetch()).data, [revision.refetch]);
  if (revision.isPending) return <Loading label="Loading the revision…" />;
  if (revision.isError) return <QueryError error={revision.error} what="this revision" />;
  return <RevisionView revision={revision.data} me={me} reload={reload} />;
}

function RevisionView({ revision, me, reload }: { revision: RevisionDetail; me: Me; reload: () => Promise<RevisionDetail | undefined> }) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState<TransitionAbility | null>(null);
  const [unsaved, setUnsaved] = useState<string[]>([]);
  const onDirtyChange = useCallback((fields: string[]) => setUnsaved(fields), []);
  const config = useMemo<RecordTypeConfig<RevisionDetail>>(
    () => ({
      listKey: 'documents',
      noun: 'Documents',
      fields: revisionFields,
      update: (rid, body) => documentEndpoints.updateRevision(rid, body as unknown as RevisionChange),
      transition: async (rid, body) => {
        const updated = await documentEndpoints.transitionRevision(rid, body);
        // Approval can make the document effective and supersede the previous revision.
        void queryClient.invalidateQueries({ queryKey: ['record', updated.data.documentId] });
        for (const r of queryClient.getQueryData<DocumentDetail>(['record', updated.data.documentId])?.revisions ?? []) {
          if (r.id !== rid) void queryClient.invalidateQueries({ queryKey: ['record', r.id] });
        }
        return updated;
      },
    }),
    [queryClient],
  );
  const editing = revision.status === 'draft' && revision.abilities.update;
  const { data } = revision;
  const stepProps = step ? { record: revision, transition: step, config, me, onClose: () => setStep(null), onReload: () => void reload() } : null;

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Anchor size="xs" {...linkProps(`/documents/${data.documentId}`)} c="dimmed">
          ← {data.documentNumber} · {revision.documentTitle}
        </Anchor>
        <Group justify="space-between" align="flex-start" mt={4} wrap="nowrap">
          <Box style={{ minWidth: 0 }}>
            <Group gap="sm" align="center">
              <Text fw={700} c="teal.8" ff="monospace" data-testid="record-number">
                {revision.number}
              </Text>
              <span data-testid="record-status">
                <StatusBadge status={revision.status} label={revision.statusLabel} />
              </span>
            </Group>
            <Title order={2} mt={2} style={{ overflowWrap: 'anywhere' }} data-testid="record-title">
              {revision.title}
            </Title>
          </Box>
          <Stack gap={6} align="flex-end" style={{ flexShrink: 0 }}>
            <Badge variant="outline" color="gray" size="lg" tt="none" title={`Record version ${revision.version}: every saved change counts`}>
              Revision {data.versionLabel}
            </Badge>
            <Tooltip label="The controlled copy: cover page, text or original, signature manifestations; marked uncontrolled when printed" multiline w={260}>
              <Anchor href={documentFiles.rendition(revision.id)} target="_blank" rel="noopener" size="xs" fw={600} data-testid="controlled-pdf">
                Controlled PDF
              </Anchor>
            </Tooltip>
            <Tooltip label="A signed copy of this revision with every version, signature and audit entry (JSON), for inspection or archive" multiline w={260}>
              <Anchor href={`/api/v1/records/${encodeURIComponent(revision.id)}/export`} download size="xs">
                Export signed copy
              </Anchor>
            </Tooltip>
          </Stack>
        </Group>
        <Group gap="xl" mt="sm" wrap="wrap">
          <Meta label="Type">{revision.typeLabel}</Meta>
          <Meta label="Department">{revision.department}</Meta>
          <Meta label="Site">{revision.siteCode}</Meta>
          <Meta label="Author">{revision.ownerName}</Meta>
          <Meta label="Change">{changeTypeLabels[data.changeType] ?? data.changeType}</Meta>
          <Meta label="Effective from">{revision.effectiveFrom ? <DateTime iso={revision.effectiveFrom} /> : data.effectiveAt ? <>planned <DateTime iso={data.effectiveAt} /></> : '—'}</Meta>
          {revision.effectiveTo && (
            <Meta label="Effective until">
              <DateTime iso={revision.effectiveTo} />
            </Meta>
          )}
          <Meta label="Last change">
            <DateTime iso={revision.updatedAt} />
          </Meta>
        </Group>
      </Paper>

      <EffectivityBanner revision={revision} />

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          {editing ? <RevisionEditor key={`${revision.id}:${revision.status}`} revision={revision} reload={reload} onDirtyChange={onDirtyChange} /> : <RevisionContent revision={revision} />}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Paper component="section" withBorder p="md" radius="md" aria-label="Workflow actions">
              <Title order={4} mb="sm">
                Actions
              </Title>
              {editing && unsaved.length > 0 && (
                <Alert color="orange" variant="light" p="xs" mb="sm">
                  <Text size="xs">Unsaved changes in the draft: save them before you sign.</Text>
                </Alert>
              )}
              <ActionsPanel transitions={revision.abilities.transitions} onStart={setStep} />
            </Paper>
            <Paper component="section" withBorder p="md" radius="md" aria-label="Review">
              <Title order={4} mb="sm">
                Review
              </Title>
              <ReviewersPanel revision={revision} />
            </Paper>
            <Paper component="section" withBorder p="md" radius="md" aria-label="Training">
              <Title order={4} mb="sm">
                Training on this revision
              </Title>
              <TrainingPanel revision={revision} />
            </Paper>
            <Paper component="section" withBorder p="md" radius="md" aria-label="Signatures">
              <Title order={4} mb="sm">
                Signatures
              </Title>
              {revision.signatures.length ? (
                <Stack gap="xs">
                  {revision.signatures.map((s) => (
                    <SignatureCard key={s.id} signature={s} />
                  ))}
                </Stack>
              ) : (
                <Empty>Not signed yet.</Empty>
              )}
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>

      <Paper withBorder radius="md">
        <Tabs defaultValue="audit" keepMounted={false}>
          <Tabs.List px="sm" pt={4}>
            <Tabs.Tab value="audit">Audit trail</Tabs.Tab>
            <Tabs.Tab value="versions">Versions</Tabs.Tab>
            <Tabs.Tab value="comments">Comments</Tabs.Tab>
            <Tabs.Tab value="links">Links &amp; trace</Tabs.Tab>
            {revision.abilities.viewTraining && <Tabs.Tab value="training">Training evidence</Tabs.Tab>}
          </Tabs.List>
          <Box p="md">
            <Tabs.Panel value="audit">
              <AuditTrailTab recordId={revision.id} fields={revisionFields} />
            </Tabs.Panel>
            <Tabs.Panel value="versions">
              <VersionsTab recordId={revision.id} fields={revisionFields} />
            </Tabs.Panel>
            <Tabs.Panel value="comments">
              <CommentsTab recordId={revision.id} canComment={revision.abilities.comment} />
            </Tabs.Panel>
            <Tabs.Panel value="links">
              <LinksTab recordId={revision.id} canLink={revision.abilities.link} />
            </Tabs.Panel>
            {revision.abilities.viewTraining && (
              <Tabs.Panel value="training">
                <TrainingEvidenceTab revisionId={revision.id} />
              </Tabs.Panel>
            )}
          </Box>
        </Tabs>
      </Paper>

      {stepProps &&
        (stepProps.transition.action === 'approve' ? (
          <ApproveStep {...stepProps} />
        ) : stepProps.transition.action === 'submit_for_review' ? (
          <SubmitStep {...stepProps} unsavedFields={unsaved} />
        ) : (
          <TransitionDialog {...stepProps} />
        ))}
    </Stack>
  );
}
