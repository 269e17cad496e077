import { Alert, Anchor, Badge, Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { hasPermission } from '../auth';
import { DateTime, Loading, QueryError } from '../components/common';
import type { Me } from '../endpoints';
import { formatBytes } from '../format';
import { linkProps, withQuery } from '../router';
import { CompleteTrainingForm } from '../training/CompleteTrainingForm';
import { DiffView } from '../training/DiffView';
import { type AssignmentDetail, type QuizResult, training } from '../training/endpoints';
import { AssignmentStatusBadge, dueDistance, formatDuration, fullBadge, methodLabel, reasonLabel } from '../training/labels';
import { MarkdownDocument, unmatchedSections } from '../training/MarkdownDocument';
import { QuizForm } from '../training/QuizForm';
import { ReassignButton } from '../training/ReassignButton';
import { useTimeOnPage } from '../training/timeOnPage';

function Step({ number, title, done, children }: { number: number; title: string; done?: boolean; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title}>
      <Group gap="xs" mb="sm">
        <Badge circle size="lg" color={done ? 'green' : 'teal'} variant={done ? 'filled' : 'light'} aria-hidden>
          {done ? '✓' : number}
        </Badge>
        <Title order={3} fz="h4">
          {title}
        </Title>
      </Group>
      {children}
    </Paper>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

/** The original file of a revision that has no text: download it and read it before signing. */
function OriginalFile({ assignment }: { assignment: AssignmentDetail }) {
  const original = assignment.original;
  if (!original) return null;
  return (
    <Paper withBorder radius="md" p="sm" bg="gray.0">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <div style={{ minWidth: 0 }}>
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
            {original.fileName}
          </Text>
          <Text size="xs" c="dimmed">
            {original.mediaType} · {formatBytes(original.size)} · SHA-256{' '}
            <Text span ff="monospace" size="xs">
              {original.sha256.slice(0, 16)}…
            </Text>
          </Text>
        </div>
        <Group gap="xs">
          <Button component="a" href={training.originalUrl(assignment.revisionId)} download={original.fileName} data-testid="download-original">
            Download the original
          </Button>
          <Button component="a" variant="default" href={training.renditionUrl(assignment.revisionId)} target="_blank" rel="noopener">
            Controlled copy (PDF)
          </Button>
        </Group>
      </Group>
      <Text size="sm" mt="xs">
        This revision is issued as a file. Open it and read it in full before you sign.
      </Text>
    </Paper>
  );
}

/** What changed in this revision: the named sections (highlighted in the text) and the diff against the previous revision. */
function Changes({ assignment }: { assignment: AssignmentDetail }) {
  const [showDiff, setShowDiff] = useState(false);
  const sections = assignment.changedSections;
  if (!sections.length && !assignment.previousRevisionId) return null;
  const unmatched = assignment.body ? unmatchedSections(assignment.body, sections) : [];
  return (
    <Stack gap="xs" mb="sm">
      <Alert color="yellow" variant="light" p="sm" title={sections.length ? 'Changed in this revision' : 'A new revision'}>
        {sections.length > 0 && (
          <Group gap={6} mb={4}>
            {sections.map((s) => (
              <Badge key={s} color="yellow" variant="filled" c="dark.8" tt="none" styles={fullBadge}>
                {s}
              </Badge>
            ))}
          </Group>
        )}
        <Text size="sm">
          {assignment.trainingImpact === 'changed_sections'
            ? 'Your training covers the changed sections: they are highlighted in the text below. Read them with care; the rest is unchanged.'
            : sections.length
              ? 'The changed sections are highlighted in the text below; read the whole document.'
              : 'Read the whole document: this revision replaces the one you knew.'}
          {unmatched.length > 0 && ` Not a heading of the text, so not highlighted: ${unmatched.join('; ')}.`}
        </Text>
        {assignment.previousRevisionId && (
          <Button size="xs" variant="white" color="dark" mt="xs" onClick={() => setShowDiff(!showDiff)} aria-expanded={showDiff} data-testid="toggle-diff">
            {showDiff ? 'Hide the changes' : 'Show what changed since the previous version'}
          </Button>
        )}
      </Alert>
      {showDiff && assignment.previousRevisionId && <DiffView documentId={assignment.documentId} from={assignment.previousRevisionId} to={assignment.revisionId} />}
    </Stack>
  );
}

function Completed({ assignment }: { assignment: AssignmentDetail }) {
  return (
    <Paper withBorder radius="md" p="md" style={{ borderLeft: '4px solid var(--mantine-color-green-6)' }} data-testid="training-completed">
      <Group gap="xs" mb="xs">
        <Badge color="green" tt="none" styles={fullBadge}>
          ✓ Completed
        </Badge>
        <Text size="sm">
          <DateTime iso={assignment.completedAt} /> · {methodLabel(assignment.method)}
        </Text>
      </Group>
      <Text fw={650} size="sm" style={{ overflowWrap: 'anywhere' }} data-testid="training-manifestation">
        {assignment.signatureManifestation ?? 'No signature recorded'}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        Time spent: {formatDuration(assignment.timeSpentSeconds)} ·{' '}
        {assignment.expiresAt ? (
          <>
            valid until <DateTime iso={assignment.expiresAt} />
          </>
        ) : (
          'no periodic retraining'
        )}
      </Text>
    </Paper>
  );
}

/** The last step, by state: sign, wait for the trainer, re-assign, or nothing more to do. */
function Outcome({ assignment, me, timeSpent, onReload }: { assignment: AssignmentDetail; me: Me; timeSpent: () => number; onReload: () => void }) {
  const own = assignment.userId === me.id;
  if (assignment.status === 'completed') return <Completed assignment={assignment} />;
  if (assignment.status === 'superseded') {
    return (
      <Alert color="gray" title="Superseded">
        This assignment was replaced (a newer revision, a new attempt, or a change of job). Nothing to do here.
      </Alert>
    );
  }
  if (assignment.status === 'failed') {
    return (
      <Alert color="orange" title="Failed: the quiz attempts are used up" role="alert">
        <Text size="sm" mb={hasPermission(me, 'training:manage') ? 'sm' : 0}>
          {own
            ? 'Your training manager will re-assign this training with a new attempt.'
            : `${assignment.userName} used ${assignment.attempts} of ${assignment.maxAttempts ?? '?'} attempts.`}
        </Text>
        {hasPermission(me, 'training:manage') && <ReassignButton assignment={assignment} />}
      </Alert>
    );
  }
  if (assignment.method === 'instructor_led') {
    return (
      <Alert color="blue" variant="light" title="Instructor-led: the trainer records your attendance" data-testid="instructor-led">
        <Text size="sm">
          You are trained in a session. The trainer records who attended and signs “Training delivered”; your training is completed then. There is nothing to sign here; read the
          document to prepare.
        </Text>
        {hasPermission(me, 'training:deliver') && (
          <Button size="xs" mt="sm" component="a" {...linkProps(withQuery('/training/sessions/new', { revisionId: assignment.revisionId }))}>
            Record a session on v{assignment.versionLabel}…
          </Button>
        )}
      </Alert>
    );
  }
  if (!own) {
    return (
      <Text size="sm" c="dimmed">
        Open: only {assignment.userName} can sign this training.
      </Text>
    );
  }
  if (!assignment.canComplete) {
    return (
      <Text size="sm" c="dimmed" data-testid="blocked-because">
        {assignment.blockedBecause ?? 'You cannot sign this training yet.'}
      </Text>
    );
  }
  return <CompleteTrainingForm assignment={assignment} me={me} timeSpent={timeSpent} onReload={onReload} />;
}

export function TrainingAssignmentPage({ id, me }: { id: string; me: Me }) {
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['training', 'assignment', id], queryFn: () => training.assignment(id) });
  const timeSpent = useTimeOnPage();
  const [quizResult, setQuizResult] = useState<QuizResult | null>(null);
  const openedOnce = useRef(false);
  const { mutate: markOpened } = useMutation({
    mutationFn: () => training.open(id),
    meta: { silent: true },
    onSuccess: (updated) => queryClient.setQueryData(['training', 'assignment', id], updated),
  });
  const assignment = detail.data;
  const own = assignment?.userId === me.id;
  const shouldOpen = Boolean(assignment && own && assignment.status === 'open' && !assignment.openedAt);
  // The first view starts the server's own measure of the time spent (once, even if the page re-renders).
  useEffect(() => {
    if (shouldOpen && !openedOnce.current) {
      openedOnce.current = true;
      markOpened();
    }
  }, [shouldOpen, markOpened]);

  if (detail.isPending) return <Loading />;
  if (detail.isError) return <QueryError error={detail.error} what="this training" />;
  const a = detail.data;
  const isQuiz = a.method === 'quiz' && a.quiz !== null;
  const back = own ? { to: '/training', label: '← My training' } : { to: '/training/matrix', label: '← Training matrix' };

  return (
    <Box maw={980}>
      <Anchor size="sm" {...linkProps(back.to)}>
        {back.label}
      </Anchor>
      <Group mt={4} mb="xs" gap="sm" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Text size="sm" c="dimmed" fw={600}>
            {a.documentNumber} · version {a.versionLabel}
          </Text>
          <Title order={2} style={{ overflowWrap: 'anywhere' }}>
            {a.title}
          </Title>
        </div>
        <Box ml="auto" mt={6}>
          <AssignmentStatusBadge status={a.status} overdue={a.overdue} />
        </Box>
      </Group>
      <Group gap="lg" mb="md" wrap="wrap" align="flex-start">
        {!own && <Fact label="Trainee">{a.userName}</Fact>}
        <Fact label="Why">{reasonLabel(a.reason)}</Fact>
        <Fact label="How">{methodLabel(a.method)}</Fact>
        <Fact label="Assigned">
          <DateTime iso={a.assignedAt} />
        </Fact>
        <Fact label="Due">
          <DateTime iso={a.dueAt} />
          {a.status === 'open' && (
            <Text span size="xs" c={a.overdue ? 'red.7' : 'dimmed'} fw={a.overdue ? 600 : undefined} ml={6}>
              {dueDistance(a.dueAt)}
            </Text>
          )}
        </Fact>
      </Group>
      {!own && (
        <Alert color="gray" variant="light" mb="md">
          You are looking at {a.userName}’s training. Only {a.userName} can study and sign it.
        </Alert>
      )}

      <Stack gap="md">
        <Step number={1} title="Read the document">
          <Changes assignment={a} />
          {a.body ? (
            <MarkdownDocument markdown={a.body} changedSections={a.changedSections} />
          ) : a.original ? (
            <OriginalFile assignment={a} />
          ) : (
            <Text size="sm" c="dimmed">
              This revision has neither text nor an original file.
            </Text>
          )}
        </Step>

        {isQuiz && a.quiz && (
          <Step number={2} title="Answer the quiz" done={a.quizPassed}>
            {a.quizPassed ? (
              <Alert color="green" variant="light" data-testid="quiz-passed">
                Quiz passed{quizResult?.passed ? ` with ${quizResult.scorePercent}%` : ''}. Now sign below.
              </Alert>
            ) : own && a.status === 'open' ? (
              <QuizForm assignment={a} quiz={a.quiz} onResult={setQuizResult} />
            ) : (
              <Text size="sm" c="dimmed">
                Pass mark {a.quiz.passMarkPercent}% · {a.attempts} of {a.quiz.maxAttempts} attempts used.
              </Text>
            )}
          </Step>
        )}

        <Step number={isQuiz ? 3 : 2} title={a.method === 'instructor_led' ? 'Attend the session' : 'Sign “Read and understood”'} done={a.status === 'completed'}>
          <Outcome assignment={a} me={me} timeSpent={timeSpent} onReload={() => void detail.refetch()} />
        </Step>
      </Stack>
    </Box>
  );
}
