import { Alert, Anchor, Button, Group, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { hasPermission } from '../auth';
import { Loading, QueryError } from '../components/common';
import type { Me } from '../endpoints';
import { linkProps, navigate, withQuery } from '../router';
import { training, type TrainingSession } from '../training/endpoints';
import { methodLabel } from '../training/labels';
import { DocumentPicker } from '../training/pickers';
import { SessionForm } from '../training/SessionForm';

/** Step one without a revision in the URL: the document, then which of its approved or effective revisions was taught. */
function ChooseRevision() {
  const [documentId, setDocumentId] = useState<string | null>(null);
  const document = useQuery({ queryKey: ['training', 'document', documentId], queryFn: () => training.document(documentId ?? ''), enabled: Boolean(documentId) });
  const revisions = (document.data?.revisions ?? []).filter((r) => r.status === 'approved' || r.status === 'effective');
  return (
    <Paper withBorder radius="md" p="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <DocumentPicker label="Document taught" required value={documentId} onChange={setDocumentId} />
        {documentId && document.isSuccess && (
          <Select
            label="Revision"
            placeholder={revisions.length ? 'Choose the revision' : 'No approved or effective revision'}
            data={revisions.map((r) => ({ value: r.id, label: `v${r.versionLabel} — ${r.statusLabel}` }))}
            onChange={(v) => v && navigate(withQuery('/training/sessions/new', { revisionId: v }))}
            disabled={!revisions.length}
          />
        )}
      </SimpleGrid>
      {document.isError && <QueryError error={document.error} what="the document" />}
    </Paper>
  );
}

function Recorded({ session, revisionId, onAnother }: { session: TrainingSession; revisionId: string; onAnother: () => void }) {
  return (
    <Alert color="green" title="Session recorded" data-testid="session-recorded">
      <Text size="sm">
        Signed “Training delivered” by {session.trainerName}. {session.completed} of {session.attendees} attendee{session.attendees === 1 ? '' : 's'} completed their training with
        this session.
      </Text>
      <Group gap="xs" mt="sm">
        <Button size="xs" variant="white" onClick={onAnother}>
          Record another session on this revision
        </Button>
        <Button size="xs" variant="white" component="a" href={training.evidencePdfUrl(revisionId)} target="_blank" rel="noopener">
          Training evidence (PDF)
        </Button>
        <Button size="xs" variant="white" component="a" {...linkProps('/training/matrix')}>
          Training matrix
        </Button>
      </Group>
    </Alert>
  );
}

/**
 * An instructor-led session: the trainer picks who attended (people with open training on the
 * revision), when and how long, and signs "Training delivered"; the attendees' training completes.
 */
export function TrainingSessionPage({ me, revisionId }: { me: Me; revisionId: string | null }) {
  const [recorded, setRecorded] = useState<TrainingSession | null>(null);
  const [formKey, setFormKey] = useState(0);
  const allowed = hasPermission(me, 'training:deliver');
  const revision = useQuery({ queryKey: ['training', 'revision', revisionId], queryFn: () => training.revision(revisionId ?? ''), enabled: allowed && Boolean(revisionId) });
  const evidence = useQuery({ queryKey: ['training', 'evidence', revisionId], queryFn: () => training.evidence(revisionId ?? ''), enabled: allowed && Boolean(revisionId) });

  if (!allowed) {
    return (
      <Alert color="orange" title="Not available">
        Only trainers record instructor-led sessions.
      </Alert>
    );
  }
  return (
    <Stack gap="md" maw={980}>
      <div>
        <Title order={2}>Record a training session</Title>
        <Text size="sm" c="dimmed">
          Instructor-led training: record who attended and sign “Training delivered”. The attendees’ open training on the revision is completed by your signature.
        </Text>
      </div>
      {!revisionId ? (
        <ChooseRevision />
      ) : revision.isPending || evidence.isPending ? (
        <Loading />
      ) : revision.isError ? (
        <QueryError error={revision.error} what="the revision" />
      ) : evidence.isError ? (
        <QueryError error={evidence.error} what="who needs this training" />
      ) : (
        <>
          <Paper withBorder radius="md" p="sm">
            <Group justify="space-between" wrap="wrap">
              <div>
                <Text size="sm" c="dimmed" fw={600}>
                  {revision.data.number} · {revision.data.statusLabel}
                </Text>
                <Text fw={650}>{revision.data.documentTitle}</Text>
                <Text size="xs" c="dimmed">
                  Training method of this revision: {methodLabel(revision.data.data.trainingMethod)} · {evidence.data.summary.open} open, {evidence.data.summary.completed}{' '}
                  completed of {evidence.data.summary.required}
                </Text>
              </div>
              <Group gap="xs">
                <Anchor size="sm" {...linkProps(`/documents/revisions/${revision.data.id}`)}>
                  Open the revision
                </Anchor>
                <Anchor size="sm" {...linkProps('/training/sessions/new')}>
                  Another document
                </Anchor>
              </Group>
            </Group>
          </Paper>
          {!['approved', 'effective'].includes(revision.data.status) && (
            <Alert color="orange">Training is given on approved or effective revisions; this one is {revision.data.statusLabel.toLowerCase()}.</Alert>
          )}
          {recorded && (
            <Recorded
              session={recorded}
              revisionId={revision.data.id}
              onAnother={() => {
                setRecorded(null);
                setFormKey((k) => k + 1);
              }}
            />
          )}
          {!recorded && (
            <SessionForm
              key={formKey}
              me={me}
              revisionId={revision.data.id}
              rows={evidence.data.rows.filter((r) => r.status === 'open' && r.userId !== me.id)}
              onRecorded={setRecorded}
            />
          )}
        </>
      )}
    </Stack>
  );
}
