import { Alert, Anchor, Badge, Stack, Text, Tooltip } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { DateTime, Empty, Loading, QueryError } from '../components/common';
import { type DocumentDetail, documentEndpoints, documentFiles, type RevisionChange, type RevisionDetail } from '../documents/endpoints';
import { changeTypeLabels, revisionFields } from '../documents/labels';
import { RevisionEditor } from '../documents/RevisionEditor';
import { EffectivityBanner, ReviewersPanel, RevisionContent, TrainingEvidenceTab, TrainingPanel } from '../documents/RevisionPanels';
import { ApproveStep, SubmitStep } from '../documents/Steps';
import type { Me, TransitionAbility } from '../endpoints';
import { EvidenceTabs, evidenceTabs, Meta, Panel, RecordGrid, RecordHeader, SignedCopyLink, WorkflowPanel } from '../record/RecordPage';
import { SignatureCard } from '../record/SignaturesPanel';
import { TransitionDialog } from '../record/TransitionDialog';
import type { RecordTypeConfig } from '../record/types';

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
  const tabs = evidenceTabs(revision, revisionFields);
  const stepProps = step ? { record: revision, transition: step, config, me, onClose: () => setStep(null), onReload: () => void reload() } : null;

  return (
    <Stack gap="md">
      <RecordHeader
        record={revision}
        backHref={`/documents/${data.documentId}`}
        back={
          <>
            {data.documentNumber} · {revision.documentTitle}
          </>
        }
        side={
          <>
            <Badge variant="outline" color="gray" size="lg" tt="none" title={`Record version ${revision.version}: every saved change counts`}>
              Revision {data.versionLabel}
            </Badge>
            <Tooltip label="The controlled copy: cover page, text or original, signature manifestations; marked uncontrolled when printed" multiline w={260}>
              <Anchor href={documentFiles.rendition(revision.id)} target="_blank" rel="noopener" size="xs" fw={600} data-testid="controlled-pdf">
                Controlled PDF
              </Anchor>
            </Tooltip>
            <SignedCopyLink recordId={revision.id} noun="revision" />
          </>
        }
        meta={
          <>
            <Meta label="Type">{revision.typeLabel}</Meta>
            <Meta label="Department">{revision.department}</Meta>
            <Meta label="Site">{revision.siteCode}</Meta>
            <Meta label="Author">{revision.ownerName}</Meta>
            <Meta label="Change">{changeTypeLabels[data.changeType] ?? data.changeType}</Meta>
            <Meta label="Effective from">
              {revision.effectiveFrom ? (
                <DateTime iso={revision.effectiveFrom} />
              ) : data.effectiveAt ? (
                <>
                  planned <DateTime iso={data.effectiveAt} />
                </>
              ) : (
                '—'
              )}
            </Meta>
            {revision.effectiveTo && (
              <Meta label="Effective until">
                <DateTime iso={revision.effectiveTo} />
              </Meta>
            )}
            <Meta label="Last change">
              <DateTime iso={revision.updatedAt} />
            </Meta>
          </>
        }
      />

      <EffectivityBanner revision={revision} />

      <RecordGrid
        main={
          editing ? (
            <RevisionEditor key={`${revision.id}:${revision.status}`} revision={revision} reload={reload} onDirtyChange={onDirtyChange} />
          ) : (
            <RevisionContent revision={revision} />
          )
        }
        aside={
          <>
            <WorkflowPanel transitions={revision.abilities.transitions} onStart={setStep}>
              {editing && unsaved.length > 0 && (
                <Alert color="orange" variant="light" p="xs" mb="sm">
                  <Text size="xs">Unsaved changes in the draft: save them before you sign.</Text>
                </Alert>
              )}
            </WorkflowPanel>
            <Panel title="Review" label="Review">
              <ReviewersPanel revision={revision} />
            </Panel>
            <Panel title="Training on this revision" label="Training">
              <TrainingPanel revision={revision} />
            </Panel>
            <Panel title="Signatures" label="Signatures">
              {revision.signatures.length ? (
                <Stack gap="xs">
                  {revision.signatures.map((s) => (
                    <SignatureCard key={s.id} signature={s} />
                  ))}
                </Stack>
              ) : (
                <Empty>Not signed yet.</Empty>
              )}
            </Panel>
          </>
        }
      />

      <EvidenceTabs
        tabs={[
          tabs.audit,
          tabs.versions,
          tabs.comments,
          tabs.links,
          revision.abilities.viewTraining && { value: 'training', label: 'Training evidence', panel: <TrainingEvidenceTab revisionId={revision.id} /> },
        ]}
      />

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
