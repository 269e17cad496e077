import { Box, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { formatDate } from '../format';
import type { FieldDef } from '../record/fields';
import { changed, FieldInput, type FieldValues, toFormValue, toPayload } from '../record/FieldInput';
import { SectionEditor } from '../record/SectionEditor';
import { fieldValue, type RecordDetail } from '../record/types';

/** A titled part of a record page, with its buttons on the right of the title. */
export function Section({ title, actions, children, testId }: { title: string; actions?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Paper component="section" withBorder p="md" radius="md" aria-label={title} data-testid={testId}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={4}>{title}</Title>
        {actions && (
          <Group gap="xs" wrap="nowrap">
            {actions}
          </Group>
        )}
      </Group>
      {children}
    </Paper>
  );
}

/** A field label and its value in read mode; "—" when empty. */
export function Labelled({ label, children, field }: { label: string; children: ReactNode; field?: string }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <Box>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.3 }}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-field={field}>
        {empty ? (
          <Text span c="dimmed" size="sm">
            —
          </Text>
        ) : (
          children
        )}
      </Text>
    </Box>
  );
}

/** The value of a plain field for read mode. */
export function plainValue(def: FieldDef, value: unknown): ReactNode {
  if (value === null || value === undefined || value === '') return null;
  if (def.kind === 'date' && typeof value === 'string') return formatDate(value);
  if (def.kind === 'select') return def.options?.find((o) => o.value === value)?.label ?? String(value);
  return String(value);
}

const wide = new Set(['textarea', 'lines']);

/**
 * A section of plain fields (text, dates, choices): read mode, and with `canEdit` an Edit button
 * that turns it into a form saved with a reason.
 */
export function FieldsSection<T extends RecordDetail>({
  title,
  record,
  fields,
  canEdit,
  update,
  listKey,
  onReload,
  before,
  testId,
}: {
  title: string;
  record: T;
  fields: FieldDef[];
  canEdit: boolean;
  update: (id: string, body: Record<string, unknown>) => Promise<T>;
  listKey: string;
  onReload: () => void;
  before?: ReactNode;
  testId?: string;
}) {
  const [editing, setEditing] = useState(false);
  return (
    <Section
      title={title}
      testId={testId}
      actions={
        canEdit &&
        !editing && (
          <Button size="xs" variant="default" onClick={() => setEditing(true)}>
            Edit
          </Button>
        )
      }
    >
      {before}
      {editing ? (
        <FieldsForm record={record} fields={fields} update={update} listKey={listKey} onDone={() => setEditing(false)} onReload={onReload} />
      ) : (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
            {fields
              .filter((def) => !wide.has(def.kind))
              .map((def) => (
                <Labelled key={def.name} label={def.label} field={def.name}>
                  {plainValue(def, fieldValue(record, def))}
                </Labelled>
              ))}
          </SimpleGrid>
          {fields
            .filter((def) => wide.has(def.kind))
            .map((def) => (
              <Labelled key={def.name} label={def.label} field={def.name}>
                {plainValue(def, fieldValue(record, def))}
              </Labelled>
            ))}
        </Stack>
      )}
    </Section>
  );
}

function FieldsForm<T extends RecordDetail>({
  record,
  fields,
  update,
  listKey,
  onDone,
  onReload,
}: {
  record: T;
  fields: FieldDef[];
  update: (id: string, body: Record<string, unknown>) => Promise<T>;
  listKey: string;
  onDone: () => void;
  onReload: () => void;
}) {
  const editable = fields.filter((f) => f.editable);
  const [values, setValues] = useState<FieldValues>(() => Object.fromEntries(editable.map((def) => [def.name, toFormValue(def, fieldValue(record, def))])));
  // An emptied text is sent as '' (cleared); a date cannot be cleared, only moved.
  const changes = Object.fromEntries(
    editable
      .filter((def) => changed(def, fieldValue(record, def), values[def.name]))
      .map((def) => [def.name, toPayload(def, values[def.name]) ?? (def.kind === 'date' ? undefined : '')])
      .filter(([, value]) => value !== undefined),
  );
  return (
    <SectionEditor
      record={record}
      update={update}
      listKey={listKey}
      changes={changes}
      labels={Object.fromEntries(editable.map((f) => [f.name, f.label]))}
      fieldNames={editable.map((f) => f.name)}
      onDone={onDone}
      onReload={onReload}
    >
      {(errorFor) => (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {editable.map((def) => (
            <Box key={def.name} style={wide.has(def.kind) ? { gridColumn: '1 / -1' } : undefined}>
              <FieldInput def={def} value={values[def.name]} onChange={(v) => setValues({ ...values, [def.name]: v })} error={errorFor(def.name)} />
            </Box>
          ))}
        </SimpleGrid>
      )}
    </SectionEditor>
  );
}
