import { Alert, Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { hasPermission } from '../auth';
import { DateTime, Loading, QueryError } from '../components/common';
import type { Me } from '../endpoints';
import { formatUtc, localZone } from '../format';
import { linkProps, navigate, useLocation, withQuery } from '../router';
import { type Qualification, training } from '../training/endpoints';
import { fullBadge, methodLabel } from '../training/labels';
import { DocumentPicker, PersonPicker } from '../training/pickers';

/** "2026-03-12T14:05" in local time (the value of a datetime-local input) → ISO UTC. */
function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** ISO UTC → the local "YYYY-MM-DDTHH:mm" of a datetime-local input. */
function isoToLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.3 }}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function Answer({ answer }: { answer: Qualification }) {
  const revisionHref = (id: string) => `/documents/revisions/${id}`;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      style={{ borderLeft: `5px solid var(--mantine-color-${answer.qualified ? 'green' : 'red'}-6)` }}
      data-testid="qualification-answer"
      aria-live="polite"
    >
      <Group gap="sm" mb="sm" align="center">
        <Badge size="lg" color={answer.qualified ? 'green' : 'red'} variant="filled" tt="none" styles={fullBadge}>
          {answer.qualified ? '✓ Qualified' : '✕ Not qualified'}
        </Badge>
        <Text fw={600}>
          {answer.userName} · {answer.documentNumber} · at <DateTime iso={answer.at} />
        </Text>
      </Group>
      <Text size="sm" mb="md" data-testid="qualification-explanation">
        {answer.explanation}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Row label="Effective revision at that moment">
          {answer.effectiveRevision ? (
            <>
              <Anchor size="sm" {...linkProps(revisionHref(answer.effectiveRevision.id))}>
                v{answer.effectiveRevision.versionLabel}
              </Anchor>
              , effective from <DateTime iso={answer.effectiveRevision.effectiveFrom} />
              {answer.effectiveRevision.effectiveTo ? (
                <>
                  {' '}
                  to <DateTime iso={answer.effectiveRevision.effectiveTo} />
                </>
              ) : (
                ' (still effective)'
              )}
            </>
          ) : (
            'None: no revision was effective'
          )}
        </Row>
        <Row label="Training basis">
          {answer.trainingBasis ? (
            <>
              Training on{' '}
              <Anchor size="sm" {...linkProps(revisionHref(answer.trainingBasis.id))}>
                v{answer.trainingBasis.versionLabel}
              </Anchor>{' '}
              counts
              {answer.effectiveRevision && answer.trainingBasis.id !== answer.effectiveRevision.id ? ' (later revisions were editorial, without retraining)' : ''}
            </>
          ) : (
            '—'
          )}
        </Row>
        <Row label="Completion">
          {answer.completion ? (
            <>
              <DateTime iso={answer.completion.at} /> · {methodLabel(answer.completion.method)}
              {answer.completion.validUntil && (
                <Text size="xs" c="dimmed">
                  Valid until <DateTime iso={answer.completion.validUntil} />
                </Text>
              )}
            </>
          ) : (
            'No completed training on the training basis by then'
          )}
        </Row>
        <Row label="Electronic signature">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }} data-testid="qualification-manifestation">
            {answer.completion?.manifestation ?? '—'}
          </Text>
          {answer.completion?.signatureId && (
            <Text size="xs" c="dimmed" ff="monospace">
              {answer.completion.signatureId}
            </Text>
          )}
        </Row>
      </SimpleGrid>
    </Paper>
  );
}

/**
 * Was this person qualified for this document at that moment? Answered from the training
 * ledger and the effectivity periods, for an inspector's question or an investigation.
 */
export function QualificationPage({ me }: { me: Me }) {
  const location = useLocation();
  const canAskOthers = hasPermission(me, 'training:read');
  const userId = (canAskOthers ? location.search.get('userId') : null) ?? me.id;
  const documentId = location.search.get('documentId');
  const at = location.search.get('at');
  const [person, setPerson] = useState<string | null>(userId);
  const [document, setDocument] = useState<string | null>(documentId);
  const [moment, setMoment] = useState(isoToLocalInput(at));
  const [tried, setTried] = useState(false);

  const answer = useQuery({
    queryKey: ['training', 'qualification', userId, documentId, at],
    queryFn: () => training.qualification({ userId, documentId: documentId ?? '', at: at ?? undefined }),
    enabled: Boolean(documentId),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!person || !document) return;
    navigate(withQuery('/training/qualification', { userId: person === me.id ? undefined : person, documentId: document, at: localInputToIso(moment) }), { replace: true });
  };
  const momentIso = localInputToIso(moment);

  return (
    <Stack gap="md" maw={980}>
      <div>
        <Title order={2}>Qualification lookup</Title>
        <Text size="sm" c="dimmed">
          Was a person trained on the revision of a document that was effective at a given moment? {canAskOthers ? '' : 'You can look up your own qualification.'}
        </Text>
      </div>
      <Paper withBorder radius="md" p="md" component="form" onSubmit={submit} noValidate aria-label="Question">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          {canAskOthers ? (
            <PersonPicker
              currentUser={me}
              label="Person"
              required
              value={person}
              valueLabel={person === answer.data?.userId ? answer.data.userName : undefined}
              onChange={setPerson}
              error={tried && !person ? 'Choose the person' : undefined}
            />
          ) : (
            <TextInput label="Person" value={`${me.fullName} (${me.username})`} readOnly />
          )}
          <DocumentPicker
            label="Document"
            required
            value={document}
            valueLabel={document === answer.data?.documentId ? answer.data.documentNumber : undefined}
            onChange={setDocument}
            error={tried && !document ? 'Choose the document' : undefined}
          />
          <TextInput
            label="At (optional)"
            type="datetime-local"
            description={momentIso ? `${formatUtc(momentIso)}` : `Now, if empty · your time zone: ${localZone}`}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            value={moment}
            onChange={(e) => setMoment(e.currentTarget.value)}
          />
        </SimpleGrid>
        <Group justify="flex-end" mt="sm">
          <Button type="submit" data-testid="ask-qualification">
            Look up
          </Button>
        </Group>
      </Paper>
      {!documentId ? (
        <Alert color="gray" variant="light">
          Choose {canAskOthers ? 'a person and ' : ''}a document, and a moment in the past if you need one (for an investigation, the time the work was done).
        </Alert>
      ) : answer.isPending ? (
        <Loading label="Looking in the training ledger…" />
      ) : answer.isError ? (
        <QueryError error={answer.error} what="the answer" />
      ) : (
        <Answer answer={answer.data} />
      )}
    </Stack>
  );
}
