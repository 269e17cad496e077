import { Box, Button, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { DateTime } from '../components/common';
import { displayValue, formatDate } from '../format';
import { type FieldDef, optionLabel } from './fields';
import { changed, FieldInput, type FieldValues, toFormValue, toPayload } from './FieldInput';
import { SectionEditor } from './SectionEditor';
import { type RecordDetail, type RecordTypeConfig, fieldValue } from './types';

/** One field in read mode: long text keeps its line breaks, lists are numbered. */
function FieldView({ def, value }: { def: FieldDef; value: unknown }) {
  let content: ReactNode;
  if (def.kind === 'lines') {
    const lines = Array.isArray(value) ? value.map(String).filter(Boolean) : [];
    content = lines.length ? (
      <List type="ordered" size="sm" spacing={2}>
        {lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: positional list
          <List.Item key={i}>{line}</List.Item>
        ))}
      </List>
    ) : null;
  } else if (def.kind === 'datetime' && typeof value === 'string') {
    content = <DateTime iso={value} />;
  } else if (def.kind === 'date' && typeof value === 'string') {
    content = formatDate(value);
  } else if (value !== null && value !== undefined && value !== '') {
    content = optionLabel(def, value) ?? displayValue(value);
  }
  return (
    <Box>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.3 }}>
        {def.label}
      </Text>
      <Text size="sm" component="div" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-field={def.name}>
        {content ?? (
          <Text span c="dimmed" size="sm">
            —
          </Text>
        )}
      </Text>
    </Box>
  );
}

const wide = new Set(['textarea', 'lines']);

/** The record's content, read-only or (with `abilities.update`) edited with a reason for the change. */
export function DetailsSection<T extends RecordDetail>({ record, config, onReload }: { record: T; config: RecordTypeConfig<T>; onReload: () => void }) {
  const [editing, setEditing] = useState(false);
  const fields = config.fields.filter((f) => f.name !== 'title' || editing);
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Details</Title>
        {record.abilities.update && !editing && (
          <Button size="xs" variant="default" onClick={() => setEditing(true)}>
            Edit
          </Button>
        )}
      </Group>
      {editing ? (
        <EditForm record={record} config={config} onDone={() => setEditing(false)} onReload={onReload} />
      ) : (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, xs: 2, xl: 3 }} spacing="md" verticalSpacing="sm">
            {fields
              .filter((def) => !wide.has(def.kind))
              .map((def) => (
                <FieldView key={def.name} def={def} value={fieldValue(record, def)} />
              ))}
          </SimpleGrid>
          {fields
            .filter((def) => wide.has(def.kind))
            .map((def) => (
              <FieldView key={def.name} def={def} value={fieldValue(record, def)} />
            ))}
        </Stack>
      )}
    </Paper>
  );
}

function EditForm<T extends RecordDetail>({ record, config, onDone, onReload }: { record: T; config: RecordTypeConfig<T>; onDone: () => void; onReload: () => void }) {
  const editable = config.fields.filter((f) => f.editable);
  const [values, setValues] = useState<FieldValues>(() => Object.fromEntries(editable.map((def) => [def.name, toFormValue(def, fieldValue(record, def))])));
  const changes = Object.fromEntries(
    editable.filter((def) => changed(def, fieldValue(record, def), values[def.name])).map((def) => [def.name, toPayload(def, values[def.name]) ?? '']),
  );
  return (
    <SectionEditor
      record={record}
      update={config.update}
      listKey={config.listKey}
      changes={changes}
      labels={Object.fromEntries(editable.map((def) => [def.name, def.label]))}
      fieldNames={editable.map((def) => def.name)}
      onDone={onDone}
      onReload={onReload}
    >
      {(errorFor) => (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {editable.map((def) => (
            <Box key={def.name} style={wide.has(def.kind) || def.name === 'title' ? { gridColumn: '1 / -1' } : undefined}>
              <FieldInput def={def} value={values[def.name]} onChange={(v) => setValues({ ...values, [def.name]: v })} error={errorFor(def.name)} />
            </Box>
          ))}
        </SimpleGrid>
      )}
    </SectionEditor>
  );
}
