import { Alert, Anchor, Button, Divider, FileButton, Group, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { isApiError } from '../api';
import { fieldError, FormProblem } from '../components/common';
import { PeopleMultiSelect } from '../components/people';
import { formatBytes } from '../format';
import { notifySuccess } from '../notify';
import { documentEndpoints, documentFiles, type RevisionChange, type RevisionDetail } from './endpoints';
import { trainingMethodOptions } from './labels';
import { MarkdownEditor } from './MarkdownEditor';
import { newQuiz, type Quiz, QuizEditor, quizFrom, quizPayload, quizProblem } from './QuizEditor';

interface DraftValues {
  title: string;
  changeSummary: string;
  body: string;
  reviewerIds: string[];
  trainingMethod: string;
  quiz: Quiz | null;
}

function valuesOf(revision: RevisionDetail): DraftValues {
  return {
    title: revision.title,
    changeSummary: revision.data.changeSummary ?? '',
    body: revision.data.body ?? '',
    reviewerIds: revision.data.reviewerIds,
    trainingMethod: revision.data.trainingMethod,
    quiz: quizFrom(revision.data.quiz),
  };
}

const fieldLabels: Record<string, string> = { title: 'Title', changeSummary: 'Change summary', body: 'Text', reviewerIds: 'Reviewers', trainingMethod: 'Training method', quiz: 'Quiz' };

/** The request fields that differ from the version the editor started from. */
function changesOf(base: RevisionDetail, values: DraftValues): Omit<RevisionChange, 'version' | 'reason'> {
  const before = valuesOf(base);
  const changes: Omit<RevisionChange, 'version' | 'reason'> = {};
  if (values.title.trim() !== before.title) changes.title = values.title.trim();
  if (values.changeSummary.trim() !== before.changeSummary.trim()) changes.changeSummary = values.changeSummary.trim();
  if (values.body !== before.body) changes.body = values.body;
  if ([...values.reviewerIds].sort().join() !== [...before.reviewerIds].sort().join()) changes.reviewerIds = values.reviewerIds;
  if (values.trainingMethod !== before.trainingMethod) changes.trainingMethod = values.trainingMethod;
  if (values.trainingMethod === 'quiz' && values.quiz) {
    const quiz = quizPayload(values.quiz);
    if (!before.quiz || JSON.stringify(quiz) !== JSON.stringify(quizPayload(before.quiz))) changes.quiz = quiz;
  }
  return changes;
}

/**
 * The editor of a draft revision: title, change summary, the Markdown text with preview, the
 * original file, reviewers, training method and quiz. Saved with a reason at the version it was
 * read (a change by someone else in between is a conflict, never overwritten).
 */
export function RevisionEditor({
  revision,
  reload,
  onDirtyChange,
}: {
  revision: RevisionDetail;
  reload: () => Promise<RevisionDetail | undefined>;
  /** Called with the labels of the fields changed but not saved (empty when all is saved). */
  onDirtyChange: (changedFields: string[]) => void;
}) {
  const queryClient = useQueryClient();
  const [base, setBase] = useState(revision);
  const [values, setValues] = useState(() => valuesOf(revision));
  const [reason, setReason] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof DraftValues>(key: K, value: DraftValues[K]) => setValues((v) => ({ ...v, [key]: value }));


  const changes = changesOf(base, values);
  const changedNames = Object.keys(changes);
  const changedKey = changedNames.join();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the joined names are the change signal
  useEffect(() => onDirtyChange(changedNames.map((n) => fieldLabels[n] ?? n)), [changedKey, onDirtyChange]);

  const accept = (updated: RevisionDetail) => {
    queryClient.setQueryData(['record', updated.id], updated);
    void queryClient.invalidateQueries({ queryKey: ['record', updated.id] });
    void queryClient.invalidateQueries({ queryKey: ['record', updated.data.documentId] });
    void queryClient.invalidateQueries({ queryKey: ['documents'] });
    setBase(updated);
  };

  const save = useMutation({
    mutationFn: () => documentEndpoints.updateRevision(revision.id, { version: base.version, reason: reason.trim(), ...changes }),
    onSuccess: (updated) => {
      accept(updated);
      setValues(valuesOf(updated));
      setReason('');
      notifySuccess('Draft saved', `${updated.number} is now at record version ${updated.version}.`);
    },
  });
  const upload = useMutation({
    mutationFn: (file: File) => documentEndpoints.uploadOriginal(revision.id, base.version, file),
    onSuccess: (updated) => {
      accept(updated);
      notifySuccess('Original uploaded', updated.data.original?.fileName);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (changedNames.length === 0) errors.form = 'Nothing was changed.';
    if (!values.title.trim()) errors.title = 'The title is required';
    if (values.trainingMethod === 'quiz') {
      const problem = values.quiz ? quizProblem(values.quiz) : 'Write the quiz for training by quiz.';
      if (problem) errors.quiz = problem;
    }
    if (!reason.trim()) errors.reason = 'Give the reason for this change: it is recorded in the audit trail';
    setLocalErrors(errors);
    if (Object.keys(errors).length === 0) save.mutate();
  };

  const err = (name: string) => localErrors[name] ?? fieldError(save.error, name);
  const conflict = [save.error, upload.error].some((e) => isApiError(e) && e.code === 'VERSION_CONFLICT');
  const original = base.data.original;

  return (
    <Paper component="section" withBorder p="md" radius="md" aria-label="Draft editor">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Draft</Title>
        <Text size="xs" c="dimmed">
          Only drafts can be changed. Reviewers and approvers sign the saved text.
        </Text>
      </Group>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="Title" required maxLength={300} value={values.title} onChange={(e) => set('title', e.currentTarget.value)} error={err('title')} />
          <Textarea
            label="Change summary"
            description="What changes in this revision and why: shown to reviewers, the approver and trainees"
            required
            autosize
            minRows={2}
            maxRows={8}
            value={values.changeSummary}
            onChange={(e) => set('changeSummary', e.currentTarget.value)}
            error={err('changeSummary')}
          />
          <MarkdownEditor value={values.body} onChange={(v) => set('body', v)} error={err('body')} />

          <Group gap="sm" align="center" wrap="wrap">
            <Text size="sm" fw={500}>
              Original file
            </Text>
            {original ? (
              <Text size="sm">
                <Anchor href={documentFiles.original(revision.id)} download={original.fileName} data-testid="original-link">
                  {original.fileName}
                </Anchor>{' '}
                <Text span size="xs" c="dimmed">
                  {formatBytes(original.size)} · SHA-256 {original.sha256.slice(0, 12)}…
                </Text>
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                none (optional: a PDF or Word original, kept unchanged)
              </Text>
            )}
            <FileButton onChange={(file) => file && upload.mutate(file)} accept=".pdf,.docx,.doc,.odt,.xlsx,.xls,.txt,.md,.png,.jpg,.jpeg">
              {(props) => (
                <Button {...props} variant="default" size="xs" loading={upload.isPending}>
                  {original ? 'Replace original…' : 'Upload original…'}
                </Button>
              )}
            </FileButton>
          </Group>
          {upload.error && !conflict ? <FormProblem error={upload.error} /> : null}

          <Divider />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <PeopleMultiSelect
              label="Reviewers"
              description={`People allowed to review documents at ${revision.siteCode}; each signs the review, the author cannot review`}
              site={revision.siteCode}
              permission="document:review"
              exclude={[revision.ownerId]}
              known={revision.reviewers.map((r) => ({ value: r.userId, label: r.fullName }))}
              placeholder={values.reviewerIds.length ? undefined : 'Choose reviewers'}
              required
              value={values.reviewerIds}
              onChange={(ids) => set('reviewerIds', ids)}
              maxValues={20}
              error={err('reviewerIds')}
              data-testid="reviewers-input"
            />
            <Select
              label="Training method"
              description="How people on the distribution are trained on this revision"
              data={trainingMethodOptions}
              value={values.trainingMethod}
              onChange={(v) => {
                if (!v) return;
                setValues((current) => ({ ...current, trainingMethod: v, quiz: v === 'quiz' && !current.quiz ? newQuiz() : current.quiz }));
              }}
              allowDeselect={false}
              error={err('trainingMethod')}
            />
          </SimpleGrid>
          {values.trainingMethod === 'quiz' && values.quiz && <QuizEditor quiz={values.quiz} onChange={(quiz) => set('quiz', quiz)} error={err('quiz')} />}

          <Divider />
          <TextInput
            label="Reason for change"
            description={changedNames.length ? `Recorded in the audit trail. Changed: ${changedNames.map((n) => fieldLabels[n] ?? n).join(', ')}.` : 'Nothing changed yet.'}
            placeholder="e.g. First draft of sections 1–4"
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={err('reason')}
          />
          {localErrors.form && (
            <Text size="sm" c="dimmed" role="status">
              {localErrors.form}
            </Text>
          )}
          {conflict ? (
            <Alert color="orange" title="Someone else changed this draft — reload" role="alert">
              <Text size="sm">Your input is kept. Reload to compare against the latest saved draft, then save again.</Text>
              <Button
                size="xs"
                mt="xs"
                variant="white"
                color="orange"
                onClick={async () => {
                  save.reset();
                  upload.reset();
                  const fresh = await reload();
                  if (fresh) setBase(fresh);
                }}
              >
                Reload draft (keep my input)
              </Button>
            </Alert>
          ) : (
            <FormProblem error={save.error} shownFields={['title', 'changeSummary', 'body', 'reviewerIds', 'trainingMethod', 'quiz', 'reason']} />
          )}
          <Group justify="flex-end" gap="sm">
            {changedNames.length > 0 && (
              <Button variant="default" onClick={() => setValues(valuesOf(base))}>
                Discard changes
              </Button>
            )}
            <Button type="submit" loading={save.isPending} data-testid="save-draft">
              Save draft
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
