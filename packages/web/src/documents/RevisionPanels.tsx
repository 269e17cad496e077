import { Alert, Anchor, Badge, Box, Button, Group, List, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { DateTime, Empty, Loading, QueryError } from '../components/common';
import { formatBytes, formatLocal } from '../format';
import { linkProps, withQuery } from '../router';
import { documentEndpoints, documentFiles, type RevisionDetail } from './endpoints';
import { changeTypeLabels, trainingImpactLabels, trainingMethodLabels } from './labels';
import { Markdown } from './Markdown';

type Tone = { color: string; variant: 'light' | 'filled'; title: string; text: ReactNode };

/** Whether this revision may be used for work, said as plainly as a stamp on paper. */
function effectivityTone(revision: RevisionDetail): Tone {
  const documentLink = (
    <Anchor {...linkProps(`/documents/${revision.data.documentId}`)} fw={600} c="inherit" td="underline">
      {revision.data.documentNumber}
    </Anchor>
  );
  switch (revision.status) {
    case 'effective':
      return { color: 'green', variant: 'light', title: 'EFFECTIVE', text: <>In force since {formatLocal(revision.effectiveFrom)}. This is the current revision of {documentLink}.</> };
    case 'approved':
      return {
        color: 'orange',
        variant: 'light',
        title: 'NOT EFFECTIVE — approved, not yet in force',
        text: (
          <>
            Becomes effective {revision.data.effectiveAt ? formatLocal(revision.data.effectiveAt) : 'on its effective date'}
            {revision.gate && !revision.gate.satisfied ? `, once ${revision.gate.percent}% of the people who need it are trained` : ''}.{' '}
            {revision.documentStatus === 'effective' ? <>Until then keep working to the current revision of {documentLink}.</> : <>{documentLink} has no effective revision yet.</>}
          </>
        ),
      };
    case 'superseded':
      return {
        color: 'red',
        variant: 'filled',
        title: 'SUPERSEDED — do not use',
        text: (
          <>
            Was in force from {formatLocal(revision.effectiveFrom)} to {formatLocal(revision.effectiveTo)}. Use the current revision of {documentLink}.
          </>
        ),
      };
    case 'obsolete':
      return { color: 'dark', variant: 'filled', title: 'OBSOLETE — do not use', text: <>The document was withdrawn from use{revision.effectiveTo ? ` on ${formatLocal(revision.effectiveTo)}` : ''}. Kept for the record only.</> };
    case 'withdrawn':
      return { color: 'gray', variant: 'light', title: 'NOT EFFECTIVE — withdrawn', text: <>This revision was abandoned and never became effective. See {documentLink} for its other revisions.</> };
    default:
      return {
        color: 'orange',
        variant: 'light',
        title: `NOT EFFECTIVE — ${revision.statusLabel.toLowerCase()}`,
        text: (
          <>
            A {revision.status === 'draft' ? 'draft' : 'revision under review'}: not approved, not to be used for GMP work.{' '}
            {revision.documentStatus === 'draft' ? <>{documentLink} has no effective revision yet.</> : <>Work to the current revision of {documentLink}.</>}
          </>
        ),
      };
  }
}

export function EffectivityBanner({ revision }: { revision: RevisionDetail }) {
  const tone = effectivityTone(revision);
  return (
    <Alert
      color={tone.color}
      variant={tone.variant}
      radius="md"
      style={tone.variant === 'light' ? { border: `1px solid var(--mantine-color-${tone.color}-4)` } : undefined}
      title={<span data-testid="effectivity-title">{tone.title}</span>}
      data-testid="effectivity-banner"
      data-status={revision.status}
      styles={{ title: { fontSize: 'var(--mantine-font-size-md)', letterSpacing: 0.4 } }}
    >
      <Text size="sm">{tone.text}</Text>
    </Alert>
  );
}

function Labelled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.3 }}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Box>
  );
}

const dash = (
  <Text span c="dimmed" size="sm">
    —
  </Text>
);

/** The revision's content, read-only: what was (or is being) reviewed, approved and trained on. */
export function RevisionContent({ revision }: { revision: RevisionDetail }) {
  const { data } = revision;
  const approvalSet = data.trainingImpact !== null || data.effectiveAt !== null;
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-label="Revision content">
      <Title order={4} mb="sm">
        Content
      </Title>
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          <Labelled label="Change summary">{data.changeSummary || dash}</Labelled>
          <Labelled label="Change type">{changeTypeLabels[data.changeType] ?? data.changeType}</Labelled>
          <Labelled label="Training method">{trainingMethodLabels[data.trainingMethod] ?? data.trainingMethod}</Labelled>
          <Labelled label="Original file">
            {data.original ? (
              <>
                <Anchor href={documentFiles.original(revision.id)} download={data.original.fileName} size="sm" data-testid="original-link">
                  {data.original.fileName}
                </Anchor>{' '}
                <Text span size="xs" c="dimmed">
                  {formatBytes(data.original.size)}
                </Text>
              </>
            ) : (
              dash
            )}
          </Labelled>
          {approvalSet && (
            <>
              <Labelled label="Effective at (set at approval)">{data.effectiveAt ? <DateTime iso={data.effectiveAt} /> : dash}</Labelled>
              <Labelled label="Training impact">{data.trainingImpact ? (trainingImpactLabels[data.trainingImpact] ?? data.trainingImpact) : dash}</Labelled>
              {data.trainingImpactJustification && <Labelled label="Why no retraining">{data.trainingImpactJustification}</Labelled>}
              {data.changedSections.length > 0 && (
                <Labelled label="Changed sections">
                  <List size="sm">
                    {data.changedSections.map((s) => (
                      <List.Item key={s}>{s}</List.Item>
                    ))}
                  </List>
                </Labelled>
              )}
              {data.gracePeriodDays !== null && <Labelled label="Grace period">{data.gracePeriodDays} days</Labelled>}
            </>
          )}
        </SimpleGrid>
        <Box>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4} style={{ letterSpacing: 0.3 }}>
            Text
          </Text>
          {data.body?.trim() ? (
            <Paper withBorder radius="sm" p="md" bg="white">
              <Markdown source={data.body} testId="revision-body" />
            </Paper>
          ) : (
            <Text size="sm" c="dimmed">
              {data.original ? 'No text: the original file is the content of this revision.' : 'No text yet.'}
            </Text>
          )}
        </Box>
      </Stack>
    </Paper>
  );
}

/** Each named reviewer and whether they have signed their review in this round. */
export function ReviewersPanel({ revision }: { revision: RevisionDetail }) {
  if (!revision.reviewers.length) return <Empty>No reviewers named yet.</Empty>;
  return (
    <Stack gap={6} data-testid="reviewers">
      {revision.reviewers.map((r) => (
        <Group key={r.userId} justify="space-between" wrap="nowrap" gap="xs">
          <Text size="sm" fw={500}>
            {r.fullName}
          </Text>
          {r.reviewed ? (
            <Box ta="right">
              <Badge color="teal" variant="light" tt="none">
                ✓ Signed
              </Badge>
              {r.reviewedAt && (
                <Text size="xs" c="dimmed">
                  {formatLocal(r.reviewedAt)}
                </Text>
              )}
            </Box>
          ) : (
            <Badge color={revision.status === 'in_review' ? 'yellow' : 'gray'} variant="light" tt="none">
              {revision.status === 'in_review' ? 'Review pending' : 'Not signed'}
            </Badge>
          )}
        </Group>
      ))}
    </Stack>
  );
}

/** Training on this revision: counts, the effective gate, and the evidence exports for training readers. */
export function TrainingPanel({ revision }: { revision: RevisionDetail }) {
  const { training, gate } = revision;
  if (['draft', 'in_review', 'withdrawn'].includes(revision.status)) {
    return <Empty>Training is assigned to the people on the distribution when the revision is approved.</Empty>;
  }
  return (
    <Stack gap="sm" data-testid="revision-training">
      <TrainingCounts counts={training} />
      {gate && (
        <Box>
          <Group justify="space-between" mb={4}>
            <Text size="sm" fw={500}>
              Effective gate
            </Text>
            <Badge color={gate.satisfied ? 'teal' : 'orange'} variant="light" tt="none">
              {gate.satisfied ? 'Met' : 'Waiting for training'}
            </Badge>
          </Group>
          <Progress value={Math.min(100, gate.trainedPercent)} color={gate.satisfied ? 'teal' : 'orange'} aria-label="Share of people trained" />
          <Text size="xs" c="dimmed" mt={4}>
            {gate.trainedPercent}% trained; {gate.percent}% needed before the revision becomes effective
          </Text>
        </Box>
      )}
      {revision.abilities.deliverTraining && revision.data.trainingMethod === 'instructor_led' && (
        <Button size="xs" variant="light" component="a" {...linkProps(withQuery('/training/sessions/new', { revisionId: revision.id }))} style={{ alignSelf: 'flex-start' }}>
          Record a training session
        </Button>
      )}
      {revision.abilities.viewTraining && (
        <Group gap="md">
          <Anchor href={documentFiles.trainingCsv(revision.id)} download size="sm">
            Evidence (CSV)
          </Anchor>
          <Anchor href={documentFiles.trainingPdf(revision.id)} download size="sm">
            Evidence (PDF)
          </Anchor>
        </Group>
      )}
    </Stack>
  );
}

/** Required / completed / open / overdue, side by side. */
export function TrainingCounts({ counts }: { counts: { required: number; completed: number; open: number; overdue: number } }) {
  const cell = (label: string, value: number, color?: string, testId?: string) => (
    <Box ta="center" data-testid={testId}>
      <Text fw={700} size="xl" c={value > 0 ? color : undefined} lh={1.1}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Box>
  );
  return (
    <SimpleGrid cols={4} spacing={4} data-testid="training-counts">
      {cell('required', counts.required, undefined, 'training-count-required')}
      {cell('completed', counts.completed, 'teal.7', 'training-count-completed')}
      {cell('open', counts.open, 'blue.7', 'training-count-open')}
      {cell('overdue', counts.overdue, 'red.7', 'training-count-overdue')}
    </SimpleGrid>
  );
}

/** Who was trained on this revision, how and when, with the signature: the evidence an inspector asks for. */
export function TrainingEvidenceTab({ revisionId }: { revisionId: string }) {
  const evidence = useQuery({ queryKey: ['record', revisionId, 'training-evidence'], queryFn: () => documentEndpoints.trainingEvidence(revisionId) });
  if (evidence.isPending) return <Loading />;
  if (evidence.isError) return <QueryError error={evidence.error} what="the training evidence" />;
  if (!evidence.data.rows.length) return <Empty>Nobody needs training on this revision (yet): set the distribution on the document.</Empty>;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table fz="sm" verticalSpacing={6} striped aria-label="Training evidence">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Person</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Method</Table.Th>
            <Table.Th>Due</Table.Th>
            <Table.Th>Completed</Table.Th>
            <Table.Th>Signature</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {evidence.data.rows.map((row) => (
            <Table.Tr key={row.userId}>
              <Table.Td>
                {row.fullName}
                <Text size="xs" c="dimmed">
                  {row.username}
                  {row.department ? ` · ${row.department}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" tt="none" color={row.status === 'completed' ? 'teal' : row.status === 'failed' ? 'red' : 'blue'}>
                  {row.status}
                </Badge>
              </Table.Td>
              <Table.Td>{row.method ? (trainingMethodLabels[row.method as keyof typeof trainingMethodLabels] ?? row.method) : '—'}</Table.Td>
              <Table.Td>
                <DateTime iso={row.dueAt} />
              </Table.Td>
              <Table.Td>
                <DateTime iso={row.completedAt} />
              </Table.Td>
              <Table.Td style={{ maxWidth: 320 }}>
                {row.signature ? (
                  <Text size="xs" c={row.signature.valid ? undefined : 'red'} style={{ overflowWrap: 'anywhere' }}>
                    {row.signature.manifestation}
                    {row.signature.valid ? '' : ' (invalid)'}
                  </Text>
                ) : (
                  dash
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
