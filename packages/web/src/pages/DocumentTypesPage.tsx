import { Alert, Button, Code, Modal, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../api';
import { hasPermission } from '../auth';
import { Empty, fieldError, FormActions, FormProblem, Loading, QueryError } from '../components/common';
import { type DocumentType, type DocumentTypeChange, documentEndpoints } from '../documents/endpoints';
import type { Me } from '../endpoints';
import { notifySuccess } from '../notify';

const off = (
  <Text span c="dimmed" size="sm">
    off
  </Text>
);

/** Document control's rules per document type: periodic review, training grace, effective gate, periodic retraining. */
export function DocumentTypesPage({ me }: { me: Me }) {
  const types = useQuery({ queryKey: ['document-types'], queryFn: documentEndpoints.documentTypes });
  const [editing, setEditing] = useState<DocumentType | null>(null);
  const canManage = hasPermission(me, 'document:manage');
  return (
    <>
      <Title order={2}>Document types</Title>
      <Text size="sm" c="dimmed" mb="md">
        The rules each type of controlled document follows. A change applies to reviews, training and gates scheduled from now on; it is recorded in the audit
        trail with its reason.
      </Text>
      <Paper withBorder radius="md">
        {types.isPending ? (
          <Loading />
        ) : types.isError ? (
          <QueryError error={types.error} what="the document types" />
        ) : types.data.items.length === 0 ? (
          <Empty>No document types.</Empty>
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table striped verticalSpacing={8} horizontalSpacing="sm" fz="sm" aria-label="Document types">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Number prefix</Table.Th>
                  <Table.Th title="An effective document is due for periodic review this long after it became effective or was last reviewed">Periodic review</Table.Th>
                  <Table.Th title="Time people have to complete training after a revision becomes effective">Training grace</Table.Th>
                  <Table.Th title="An approved revision becomes effective only when this share of the people who need it are trained">Effective gate</Table.Th>
                  <Table.Th title="Training expires and is assigned again after this time">Retraining</Table.Th>
                  {canManage && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {types.data.items.map((t) => (
                  <Table.Tr key={t.code} data-testid="document-type-row">
                    <Table.Td fw={600}>{t.label}</Table.Td>
                    <Table.Td>
                      <Code>{t.prefix}</Code>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>every {t.reviewMonths} months</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{t.graceDays} days</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{t.gatePercent === null ? off : `${t.gatePercent}% trained`}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{t.retrainingMonths === null ? off : `every ${t.retrainingMonths} months`}</Table.Td>
                    {canManage && (
                      <Table.Td ta="right">
                        <Button size="xs" variant="default" onClick={() => setEditing(t)} aria-label={`Edit ${t.label}`}>
                          Edit
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {editing && <EditTypeModal type={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

const ruleLabels = { reviewMonths: 'periodic review', graceDays: 'training grace', gatePercent: 'effective gate', retrainingMonths: 'retraining' } as const;

/** A number input whose empty value means "off" (null). */
function OptionalNumber({ label, description, value, onChange, min, max, error }: { label: string; description: string; value: number | null; onChange: (v: number | null) => void; min: number; max: number; error?: string }) {
  return (
    <NumberInput
      label={label}
      description={description}
      placeholder="off"
      min={min}
      max={max}
      allowDecimal={false}
      value={value ?? ''}
      onChange={(v) => onChange(v === '' || v === null ? null : Number(v))}
      error={error}
    />
  );
}

function EditTypeModal({ type, onClose }: { type: DocumentType; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState({ reviewMonths: type.reviewMonths, graceDays: type.graceDays, gatePercent: type.gatePercent, retrainingMonths: type.retrainingMonths });
  const [reason, setReason] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const changed = (Object.keys(values) as (keyof typeof values)[]).filter((k) => values[k] !== type[k]);

  const save = useMutation({
    mutationFn: () => {
      const body: DocumentTypeChange = { version: type.version, reason: reason.trim() };
      for (const key of changed) Object.assign(body, { [key]: values[key] });
      return documentEndpoints.updateDocumentType(type.code, body);
    },
    onSuccess: (updated) => {
      void queryClient.invalidateQueries({ queryKey: ['document-types'] });
      notifySuccess(`${updated.label} saved`, 'The change is recorded in the audit trail.');
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setLocalError(changed.length === 0 ? 'Nothing was changed.' : null);
    setReasonError(reason.trim() ? null : 'Give the reason: it is recorded in the audit trail');
    if (changed.length > 0 && reason.trim()) save.mutate();
  };
  const err = (name: string) => fieldError(save.error, name);
  const conflict = isApiError(save.error) && save.error.code === 'VERSION_CONFLICT';

  return (
    <Modal opened onClose={onClose} title={<Text fw={650}>Rules for {type.label}</Text>} size="lg" closeOnClickOutside={false}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <NumberInput
              label="Periodic review (months)"
              description="From effective date or last review"
              required
              min={1}
              max={120}
              allowDecimal={false}
              value={values.reviewMonths}
              onChange={(v) => setValues({ ...values, reviewMonths: Number(v) || 0 })}
              error={err('reviewMonths')}
            />
            <NumberInput
              label="Training grace (days)"
              description="To complete training after the effective date"
              required
              min={0}
              max={365}
              allowDecimal={false}
              value={values.graceDays}
              onChange={(v) => setValues({ ...values, graceDays: Number(v) || 0 })}
              error={err('graceDays')}
            />
            <OptionalNumber
              label="Effective gate (% trained)"
              description="Empty: off. Else the revision waits until this share is trained"
              min={1}
              max={100}
              value={values.gatePercent}
              onChange={(v) => setValues({ ...values, gatePercent: v })}
              error={err('gatePercent')}
            />
            <OptionalNumber
              label="Retraining (months)"
              description="Empty: off. Else training expires after this time"
              min={1}
              max={120}
              value={values.retrainingMonths}
              onChange={(v) => setValues({ ...values, retrainingMonths: v })}
              error={err('retrainingMonths')}
            />
          </SimpleGrid>
          <Textarea
            label="Reason for change"
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={reasonError ?? err('reason')}
            description={changed.length ? `Changed: ${changed.map((k) => ruleLabels[k]).join(', ')}.` : 'Nothing changed yet.'}
          />
          {localError && (
            <Text size="sm" c="red" role="alert">
              {localError}
            </Text>
          )}
          {conflict ? (
            <Alert color="orange" title="Someone else changed this type" role="alert">
              <Text size="sm">Close the dialog to see the current rules, then change them again.</Text>
            </Alert>
          ) : (
            <FormProblem error={save.error} shownFields={['reviewMonths', 'graceDays', 'gatePercent', 'retrainingMonths', 'reason']} />
          )}
          <FormActions submitLabel="Save rules" loading={save.isPending} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
