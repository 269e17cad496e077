import { ActionIcon, Button, Group, Input, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { FieldDef } from './fields';

/** A form value: text for most fields, a list of lines for lists such as the 5 whys. */
export type FieldValue = string | string[];
export type FieldValues = Record<string, FieldValue>;

/** Record value → form value (null → '', ISO datetime → datetime-local, date stays a date). */
export function toFormValue(def: FieldDef, value: unknown): FieldValue {
  if (def.kind === 'lines') return Array.isArray(value) ? value.map(String) : [];
  if (value === null || value === undefined) return '';
  if (def.kind === 'date' && typeof value === 'string') return value.slice(0, 10);
  return String(value);
}

/** Form value → request value; undefined leaves the field out (an empty select, say). */
export function toPayload(def: FieldDef, value: FieldValue | undefined): unknown {
  if (def.kind === 'lines') return (Array.isArray(value) ? value : []).map((line) => line.trim()).filter(Boolean);
  const text = typeof value === 'string' ? value.trim() : '';
  if (def.kind === 'select' || def.kind === 'date') return text || undefined;
  return text;
}

/** Whether the edited value differs from what the record holds (both normalised as request values). */
export function changed(def: FieldDef, original: unknown, edited: FieldValue | undefined): boolean {
  const before = toPayload(def, toFormValue(def, original));
  const after = toPayload(def, edited);
  return JSON.stringify(before ?? '') !== JSON.stringify(after ?? '');
}

interface FieldInputProps {
  def: FieldDef;
  value: FieldValue | undefined;
  onChange: (value: FieldValue) => void;
  error?: string;
  required?: boolean;
}

/** The input for one record field, labelled for screen readers, with its server error under it. */
export function FieldInput({ def, value, onChange, error, required }: FieldInputProps) {
  const text = typeof value === 'string' ? value : '';
  const isRequired = required ?? def.required;
  switch (def.kind) {
    case 'select':
      return (
        <Select
          label={def.label}
          description={def.description}
          required={isRequired}
          data={def.options ?? []}
          value={text || null}
          onChange={(v) => onChange(v ?? '')}
          error={error}
          placeholder="Choose…"
          allowDeselect={!isRequired}
        />
      );
    case 'textarea':
      return <Textarea label={def.label} description={def.description} required={isRequired} autosize minRows={2} maxRows={12} value={text} onChange={(e) => onChange(e.currentTarget.value)} error={error} />;
    case 'date':
      return <TextInput type="date" label={def.label} description={def.description} required={isRequired} value={text} onChange={(e) => onChange(e.currentTarget.value)} error={error} />;
    case 'lines':
      return <LinesInput def={def} lines={Array.isArray(value) ? value : []} onChange={onChange} error={error} required={isRequired} />;
    default:
      return <TextInput label={def.label} description={def.description} required={isRequired} value={text} onChange={(e) => onChange(e.currentTarget.value)} error={error} />;
  }
}

function LinesInput({ def, lines, onChange, error, required }: { def: FieldDef; lines: string[]; onChange: (v: string[]) => void; error?: string; required?: boolean }) {
  const max = def.maxLines ?? 10;
  const shown = lines.length ? lines : [''];
  const setLine = (index: number, text: string) => onChange(shown.map((line, i) => (i === index ? text : line)));
  return (
    <Input.Wrapper label={def.label} description={def.description} required={required} error={error}>
      <Stack gap={6} mt={4}>
        {shown.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the lines are positional (why 1, why 2, …)
          <Group key={index} gap={6} wrap="nowrap" align="center">
            <Text size="sm" c="dimmed" w={56} style={{ flexShrink: 0 }}>
              Why {index + 1}
            </Text>
            <TextInput
              aria-label={`${def.label} ${index + 1}`}
              value={line}
              onChange={(e) => setLine(index, e.currentTarget.value)}
              style={{ flex: 1 }}
              error={Boolean(error)}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label={`Remove line ${index + 1}`}
              onClick={() => onChange(shown.filter((_, i) => i !== index))}
              disabled={shown.length === 1 && !line}
            >
              ✕
            </ActionIcon>
          </Group>
        ))}
        {shown.length < max && (
          <Button variant="subtle" size="compact-sm" onClick={() => onChange([...shown, ''])} style={{ alignSelf: 'flex-start' }}>
            + Add line
          </Button>
        )}
      </Stack>
    </Input.Wrapper>
  );
}
