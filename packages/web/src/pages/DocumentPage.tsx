import { Anchor, Badge, Button, Group, Modal, Paper, SegmentedControl, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { DateTime, Empty, fieldError, FormActions, FormProblem, Loading, QueryError, StatusBadge } from '../components/common';
import { DueDate } from '../components/RecordTable';
import { DistributionPanel } from '../documents/DistributionPanel';
import { type DocumentDetail, documentEndpoints } from '../documents/endpoints';
import { changeTypeLabels, confidentialityLabels, documentFields, reviewOutcomeLabels } from '../documents/labels';
import { RevisionDiffPanel } from '../documents/RevisionDiff';
import { TrainingCounts } from '../documents/RevisionPanels';
import { PeriodicReviewStep } from '../documents/Steps';
import type { Me, TransitionAbility } from '../endpoints';
import { notifySuccess } from '../notify';
import { EvidenceTabs, evidenceTabs, Meta, Panel, RecordGrid, RecordHeader, WorkflowPanel } from '../record/RecordPage';
import { TransitionDialog } from '../record/TransitionDialog';
import type { RecordTypeConfig } from '../record/types';
import { linkProps, navigate } from '../router';

/** A controlled document: its revisions and their effective periods, distribution, training, periodic review. */
export function DocumentPage({ id, me }: { id: string; me: Me }) {
  const document = useQuery({ queryKey: ['record', id], queryFn: () => documentEndpoints.getDocument(id) });
  if (document.isPending) return <Loading label="Loading the document…" />;
  if (document.isError) return <QueryError error={document.error} what="this document" />;
  return <DocumentView document={document.data} me={me} onReload={() => void document.refetch()} />;
}

function DocumentView({ document, me, onReload }: { document: DocumentDetail; me: Me; onReload: () => void }) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState<TransitionAbility | null>(null);
  const [newRevision, setNewRevision] = useState(false);
  const config = useMemo<RecordTypeConfig<DocumentDetail>>(
    () => ({
      listKey: 'documents',
      noun: 'Documents',
      fields: documentFields,
      update: () => Promise.reject(new Error('A document is changed through its revisions')),
      transition: async (did, body) => {
        const updated = await documentEndpoints.transitionDocument(did, body);
        // Making a document obsolete retires or withdraws its revisions.
        for (const r of updated.revisions) void queryClient.invalidateQueries({ queryKey: ['record', r.id] });
        return updated;
      },
    }),
    [queryClient],
  );
  const { data } = document;
  const current = document.revisions.find((r) => r.id === data.currentRevisionId) ?? null;
  const open = document.revisions.find((r) => ['draft', 'in_review', 'approved'].includes(r.status)) ?? null;
  const tabs = evidenceTabs(document, documentFields);
  const stepProps = step ? { record: document, transition: step, config, me, onClose: () => setStep(null), onReload } : null;

  return (
    <Stack gap="md">
      <RecordHeader
        record={document}
        backHref="/documents"
        back="Documents"
        side={
          <>
            <Badge variant="outline" color={current ? 'green' : 'gray'} size="lg" tt="none" data-testid="current-version">
              {current ? `Version ${current.versionLabel} effective` : 'No effective version'}
            </Badge>
            {current && (
              <Anchor {...linkProps(`/documents/revisions/${current.id}`)} size="xs" fw={600}>
                Read the current revision
              </Anchor>
            )}
          </>
        }
        meta={
          <>
            <Meta label="Type">{document.typeLabel}</Meta>
            <Meta label="Department">{data.department}</Meta>
            <Meta label="Site">{document.siteCode}</Meta>
            <Meta label="Owner">{document.ownerName}</Meta>
            <Meta label="Confidentiality">{confidentialityLabels[data.confidentiality] ?? data.confidentiality}</Meta>
            <Meta label="Effective since">{data.effectiveFrom ? <DateTime iso={data.effectiveFrom} /> : '—'}</Meta>
            <Meta label="Next periodic review">
              <DueDate dueDate={document.dueDate} overdue={document.overdue} />
            </Meta>
            {data.lastReviewedAt && (
              <Meta label="Last periodic review">
                <DateTime iso={data.lastReviewedAt} /> · {reviewOutcomeLabels[data.lastReviewOutcome ?? ''] ?? data.lastReviewOutcome}
              </Meta>
            )}
          </>
        }
      />

      <RecordGrid
        main={
          <Stack gap="md">
            <Paper component="section" withBorder p="md" radius="md" aria-label="Revisions">
              <Group justify="space-between" mb="sm">
                <Title order={4}>Revisions</Title>
                {document.abilities.newRevision && (
                  <Button size="xs" onClick={() => setNewRevision(true)}>
                    Start new revision
                  </Button>
                )}
              </Group>
              <RevisionsTable document={document} />
              {open && (
                <Text size="xs" c="dimmed" mt="xs">
                  Revision {open.versionLabel} is open ({open.statusLabel.toLowerCase()}): a new revision can be started once it is effective or withdrawn.
                </Text>
              )}
            </Paper>
          </Stack>
        }
        aside={
          <>
            <WorkflowPanel transitions={document.abilities.transitions} onStart={setStep} />
            <Panel title={`Training${current ? ` on version ${current.versionLabel}` : ''}`} label="Training">
              {document.training ? <TrainingCounts counts={document.training} /> : <Empty>Training starts when a revision becomes effective.</Empty>}
            </Panel>
            <Panel title="Who must read it" label="Distribution">
              <DistributionPanel document={document} />
            </Panel>
          </>
        }
      />

      <Panel title="Compare revisions" label="Compare revisions">
        <RevisionDiffPanel document={document} />
      </Panel>

      <EvidenceTabs tabs={[tabs.audit, tabs.comments, tabs.links]} />

      {stepProps && (stepProps.transition.action === 'periodic_review' ? <PeriodicReviewStep {...stepProps} /> : <TransitionDialog {...stepProps} />)}
      {newRevision && <NewRevisionModal document={document} onClose={() => setNewRevision(false)} />}
    </Stack>
  );
}

/** Every revision with its status and the period it was in force; the effective one stands out. */
function RevisionsTable({ document }: { document: DocumentDetail }) {
  if (!document.revisions.length) return <Empty>No revisions.</Empty>;
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table fz="sm" verticalSpacing={6} highlightOnHover aria-label="Revisions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Change</Table.Th>
            <Table.Th>In force</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {document.revisions.map((r) => {
            const href = `/documents/revisions/${r.id}`;
            const isCurrent = r.id === document.data.currentRevisionId;
            return (
              <Table.Tr
                key={r.id}
                onClick={() => navigate(href)}
                style={{ cursor: 'pointer', verticalAlign: 'top', background: isCurrent ? 'var(--mantine-color-green-0)' : undefined }}
                data-testid="revision-row"
              >
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Anchor {...linkProps(href)} fw={600} fz="sm" onClickCapture={(e) => e.stopPropagation()}>
                    {r.versionLabel}
                  </Anchor>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <StatusBadge status={r.status} label={r.statusLabel} />
                </Table.Td>
                <Table.Td style={{ minWidth: 200 }}>
                  <Text size="sm" lineClamp={2}>
                    {r.changeSummary ?? '—'}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {changeTypeLabels[r.changeType] ?? r.changeType} · {r.authorName}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {r.effectiveFrom ? (
                    <>
                      <Text size="sm">
                        from <DateTime iso={r.effectiveFrom} />
                      </Text>
                      {r.effectiveTo ? (
                        <Text size="sm">
                          to <DateTime iso={r.effectiveTo} />
                        </Text>
                      ) : (
                        <Text size="sm" fw={600} c="green.8">
                          in force now
                        </Text>
                      )}
                    </>
                  ) : r.effectiveAt && r.status === 'approved' ? (
                    <Text size="sm" c="orange.8">
                      planned from <DateTime iso={r.effectiveAt} />
                    </Text>
                  ) : (
                    <Text span c="dimmed" size="sm">
                      never
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Starts the next revision, copied from the newest one: major (content) or minor (editorial). */
function NewRevisionModal({ document, onClose }: { document: DocumentDetail; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [changeType, setChangeType] = useState<'major' | 'minor'>('major');
  const [changeSummary, setChangeSummary] = useState('');
  const start = useMutation({
    mutationFn: () => documentEndpoints.startRevision(document.id, { changeType, changeSummary: changeSummary.trim() }),
    onSuccess: (revision) => {
      queryClient.setQueryData(['record', revision.id], revision);
      void queryClient.invalidateQueries({ queryKey: ['record', document.id] });
      void queryClient.invalidateQueries({ queryKey: ['documents'] });
      notifySuccess(`${revision.number} started`, 'Edit the draft, name the reviewers, then sign and send it for review.');
      navigate(`/documents/revisions/${revision.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>New revision of {document.number}</Text>} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <div>
            <Text size="sm" fw={500} mb={4}>
              Kind of change
            </Text>
            <SegmentedControl
              fullWidth
              value={changeType}
              onChange={(v) => setChangeType(v === 'minor' ? 'minor' : 'major')}
              data={[
                { value: 'major', label: 'Major: content changes' },
                { value: 'minor', label: 'Minor: editorial only' },
              ]}
            />
            <Text size="xs" c="dimmed" mt={4}>
              {changeType === 'major'
                ? 'The next major version; everyone on the distribution is retrained.'
                : 'The next minor version; the approver may decide that no retraining is needed.'}
            </Text>
          </div>
          <Textarea
            label="Change summary"
            description="What will change and why"
            required
            autosize
            minRows={3}
            value={changeSummary}
            onChange={(e) => setChangeSummary(e.currentTarget.value)}
            error={fieldError(start.error, 'changeSummary')}
          />
          <FormProblem error={start.error} shownFields={['changeSummary']} />
          <FormActions submitLabel="Start draft" loading={start.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
