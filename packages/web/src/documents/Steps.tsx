import { Alert, Box, Button, Group, NumberInput, Radio, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Me, TransitionAbility } from '../endpoints';
import { localZone } from '../format';
import { type ExtraStepFields, TransitionDialog } from '../record/TransitionDialog';
import type { RecordDetail, RecordTypeConfig } from '../record/types';
import { type DocumentDetail, documentEndpoints, type RevisionDetail } from './endpoints';
import { reviewOutcomeLabels, trainingImpactLabels } from './labels';

/** "2026-03-12T14:05" for a datetime-local input, in local time. */
function localNow(): string {
  const now = new Date();
  now.setSeconds(0, 0);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The step without the generic field inputs: the extra fields of the caller ask for them instead. */
const withoutGenericFields = (transition: TransitionAbility): TransitionAbility => ({ ...transition, requiredFields: [], optionalFields: [] });

interface StepProps<T extends RecordDetail> {
  record: T;
  transition: TransitionAbility;
  config: RecordTypeConfig<T>;
  me: Me;
  onClose: () => void;
  onReload: () => void;
}

/**
 * Approval of a revision (signed "Approved"): when it becomes effective and what training it needs.
 * "No retraining" is only for minor (editorial) revisions and must be justified.
 */
export function ApproveStep(props: StepProps<RevisionDetail>) {
  const revision = props.record;
  const minor = revision.data.changeType === 'minor';
  const types = useQuery({ queryKey: ['document-types'], queryFn: documentEndpoints.documentTypes, staleTime: 300_000 });
  const typeGrace = types.data?.items.find((t) => t.code === revision.data.docType)?.graceDays;
  const [effectiveAt, setEffectiveAt] = useState(localNow);
  const [impact, setImpact] = useState<string>(minor ? '' : 'retrain_all');
  const [justification, setJustification] = useState('');
  const [sections, setSections] = useState('');
  const [grace, setGrace] = useState<number | ''>('');
  const sectionList = sections
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

  const extra: ExtraStepFields = {
    names: ['effectiveAt', 'trainingImpact', 'trainingImpactJustification', 'changedSections', 'gracePeriodDays'],
    validate: () => {
      const errors: Record<string, string> = {};
      if (!effectiveAt || Number.isNaN(new Date(effectiveAt).getTime())) errors.effectiveAt = 'Set the date and time the revision becomes effective';
      if (!impact) errors.trainingImpact = 'Choose the training impact';
      if (impact === 'none' && !justification.trim()) errors.trainingImpactJustification = 'Justify why no retraining is needed';
      if (impact === 'changed_sections' && sectionList.length === 0) errors.changedSections = 'Name at least one changed section';
      return errors;
    },
    payload: () => ({
      effectiveAt: new Date(effectiveAt).toISOString(),
      trainingImpact: impact,
      ...(impact === 'none' ? { trainingImpactJustification: justification.trim() } : {}),
      ...(impact === 'changed_sections' ? { changedSections: sectionList } : {}),
      ...(grace !== '' ? { gracePeriodDays: grace } : {}),
    }),
    render: (errorFor) => (
      <Stack gap="sm">
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label="Effective from"
            description={`Local time (${localZone}). Now or later; the revision replaces the current one at that moment.`}
            type="datetime-local"
            required
            value={effectiveAt}
            onChange={(e) => setEffectiveAt(e.currentTarget.value)}
            error={errorFor('effectiveAt')}
            style={{ flex: 1 }}
          />
          <Button variant="default" onClick={() => setEffectiveAt(localNow())} mb={errorFor('effectiveAt') ? 22 : 0}>
            Now
          </Button>
        </Group>
        <Radio.Group label="Training impact" required value={impact} onChange={setImpact} error={errorFor('trainingImpact')}>
          <Stack gap={6} mt={6}>
            <Radio value="retrain_all" label={trainingImpactLabels.retrain_all} />
            <Radio value="changed_sections" label={trainingImpactLabels.changed_sections} />
            <Radio
              value="none"
              label={trainingImpactLabels.none}
              disabled={!minor}
              description={minor ? 'Training on the previous revision stays valid' : 'Only for a minor (editorial) revision'}
            />
          </Stack>
        </Radio.Group>
        {impact === 'none' && (
          <Textarea
            label="Why no retraining is needed"
            required
            autosize
            minRows={2}
            value={justification}
            onChange={(e) => setJustification(e.currentTarget.value)}
            error={errorFor('trainingImpactJustification')}
          />
        )}
        {impact === 'changed_sections' && (
          <Textarea
            label="Changed sections"
            description="One per line, e.g. 5.2 Line clearance; trainees are pointed to them"
            required
            autosize
            minRows={2}
            value={sections}
            onChange={(e) => setSections(e.currentTarget.value)}
            error={errorFor('changedSections')}
          />
        )}
        {impact !== 'none' && (
          <NumberInput
            label="Grace period (days)"
            description={`Days to complete the training after the effective date. Empty: the type's ${typeGrace ?? 'default'} days.`}
            placeholder={typeGrace !== undefined ? String(typeGrace) : undefined}
            min={0}
            max={365}
            allowDecimal={false}
            value={grace}
            onChange={(v) => setGrace(v === '' ? '' : Number(v))}
            error={errorFor('gracePeriodDays')}
          />
        )}
      </Stack>
    ),
  };
  return <TransitionDialog {...props} transition={withoutGenericFields(props.transition)} extra={extra} />;
}

/**
 * Sending a draft for review (signed "Authored"): the signature covers the saved draft, so unsaved
 * edits block it, and what the reviewers get is summarised first.
 */
export function SubmitStep(props: StepProps<RevisionDetail> & { unsavedFields: string[] }) {
  const { record: revision, unsavedFields } = props;
  const missing = [
    !revision.data.body?.trim() && !revision.data.original ? 'the text or an original file' : null,
    !revision.data.changeSummary?.trim() ? 'a change summary' : null,
    revision.data.reviewerIds.length === 0 ? 'at least one reviewer' : null,
    revision.data.trainingMethod === 'quiz' && !revision.data.quiz ? 'the quiz' : null,
  ].filter((m): m is string => m !== null);
  const extra: ExtraStepFields = {
    names: ['body', 'changeSummary', 'reviewerIds', 'quiz', 'draft'],
    validate: (): Record<string, string> => {
      if (unsavedFields.length) return { draft: 'Save the draft first: your signature covers the saved text.' };
      return missing.length ? { draft: `Add ${missing.join(', ')} and save the draft.` } : {};
    },
    payload: () => ({}),
    render: () => (
      <Box>
        {unsavedFields.length > 0 && (
          <Alert color="orange" title="Unsaved changes" mb="sm" role="alert">
            <Text size="sm">Save the draft first: your signature covers the saved text. Not saved: {unsavedFields.join(', ')}.</Text>
          </Alert>
        )}
        {missing.length > 0 ? (
          <Alert color="red" title="Not ready for review" role="alert">
            <Text size="sm">Add {missing.join(', ')} and save the draft.</Text>
          </Alert>
        ) : (
          <Text size="sm">
            Reviewers: <strong>{revision.reviewers.map((r) => r.fullName).join(', ')}</strong>. Each is asked to sign their review.
          </Text>
        )}
      </Box>
    ),
  };
  return <TransitionDialog {...props} transition={withoutGenericFields(props.transition)} extra={extra} />;
}

/** The periodic review of an effective document (signed "Reviewed"): outcome and comment. */
export function PeriodicReviewStep(props: StepProps<DocumentDetail>) {
  const [outcome, setOutcome] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const extra: ExtraStepFields = {
    names: ['lastReviewOutcome', 'reviewComment'],
    validate: () => {
      const errors: Record<string, string> = {};
      if (!outcome) errors.lastReviewOutcome = 'Choose the outcome of the review';
      if (!comment.trim()) errors.reviewComment = 'Say what was checked and found';
      return errors;
    },
    payload: () => ({ lastReviewOutcome: outcome, reviewComment: comment.trim() }),
    render: (errorFor) => (
      <Stack gap="sm">
        <Select
          label="Outcome"
          required
          placeholder="Choose…"
          data={Object.entries(reviewOutcomeLabels).map(([value, label]) => ({ value, label }))}
          value={outcome}
          onChange={setOutcome}
          error={errorFor('lastReviewOutcome')}
        />
        <Textarea
          label="Review comment"
          description="What was checked (still accurate, still followed, references current) and what follows"
          required
          autosize
          minRows={3}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          error={errorFor('reviewComment')}
        />
        {outcome === 'revise' && (
          <Text size="xs" c="dimmed">
            After recording the review, start a new revision from the document page.
          </Text>
        )}
        {outcome === 'retire' && (
          <Text size="xs" c="dimmed">
            After recording the review, make the document obsolete (a separate signed step with a reason).
          </Text>
        )}
      </Stack>
    ),
  };
  return <TransitionDialog {...props} transition={withoutGenericFields(props.transition)} extra={extra} />;
}
