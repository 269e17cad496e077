import { Box, List, Paper, Text, Textarea } from '@mantine/core';
import { rootCauseCategories } from '@verity/contracts';

export type Category = (typeof rootCauseCategories)[number];
export type IshikawaValue = Partial<Record<Category, string[]>>;

/** The 6M categories with what each one asks about. */
export const categoryInfo: Record<Category, { label: string; hint: string; color: string }> = {
  man: { label: 'Man', hint: 'People: skills, training, fatigue, communication', color: 'blue' },
  machine: { label: 'Machine', hint: 'Equipment, tools, maintenance, calibration', color: 'grape' },
  method: { label: 'Method', hint: 'Procedures, instructions, process design', color: 'teal' },
  material: { label: 'Material', hint: 'Raw materials, components, suppliers', color: 'orange' },
  measurement: { label: 'Measurement', hint: 'Test methods, instruments, data', color: 'cyan' },
  milieu: { label: 'Milieu', hint: 'Environment: temperature, humidity, cleanliness', color: 'lime' },
};

const top: Category[] = ['man', 'machine', 'method'];
const bottom: Category[] = ['material', 'measurement', 'milieu'];

/** Request value: trimmed causes, empty ones and empty categories left out. */
export function normaliseIshikawa(value: IshikawaValue | Record<string, string[]> | null | undefined): IshikawaValue {
  const out: IshikawaValue = {};
  for (const category of rootCauseCategories) {
    const causes = (value?.[category] ?? []).map((c) => c.trim()).filter(Boolean);
    if (causes.length) out[category] = causes;
  }
  return out;
}

export function countCauses(value: IshikawaValue | Record<string, string[]> | null | undefined): number {
  return Object.values(normaliseIshikawa(value)).reduce((n, causes) => n + (causes?.length ?? 0), 0);
}

/**
 * The Ishikawa diagram as a fishbone-like grid: three categories above the spine, three below, each
 * joined to the spine by a bone; the effect (the problem) at the head. With `onChange` every
 * category is a small list editor.
 */
export function Fishbone({ value, effect, onChange }: { value: IshikawaValue; effect: string; onChange?: (value: IshikawaValue) => void }) {
  const box = (category: Category, position: 'top' | 'bottom') => (
    <Box key={category} style={{ display: 'flex', flexDirection: position === 'top' ? 'column' : 'column-reverse', minWidth: 0 }}>
      <CategoryBox category={category} causes={value[category] ?? []} onChange={onChange ? (causes) => onChange({ ...value, [category]: causes }) : undefined} />
      {/* The bone: joins the category to the spine. */}
      <Box aria-hidden style={{ alignSelf: 'center', width: 2, height: 16, background: 'var(--mantine-color-gray-5)' }} />
    </Box>
  );
  return (
    <Box
      data-testid="ishikawa"
      style={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr)) minmax(110px, 160px)', columnGap: 10, alignItems: 'stretch' }}
      role="group"
      aria-label="Ishikawa diagram (6M)"
    >
      {top.map((c) => box(c, 'top'))}
      <Box style={{ gridRow: '1 / span 3', gridColumn: 4, display: 'flex', alignItems: 'center' }}>
        <Paper p="xs" radius="md" w="100%" style={{ background: 'var(--mantine-color-red-0)', border: '1px solid var(--mantine-color-red-3)' }}>
          <Text size="xs" fw={700} c="red.8" tt="uppercase" style={{ letterSpacing: 0.3 }}>
            Effect
          </Text>
          <Text size="sm" lineClamp={4} style={{ overflowWrap: 'anywhere' }}>
            {effect || 'The problem'}
          </Text>
        </Paper>
      </Box>
      {/* The spine, pointing at the effect. */}
      <Box aria-hidden style={{ gridColumn: '1 / span 3', display: 'flex', alignItems: 'center' }}>
        <Box style={{ flex: 1, height: 4, background: 'var(--mantine-color-gray-6)', borderRadius: 2 }} />
        <Box style={{ width: 0, height: 0, borderTop: '8px solid transparent', borderBottom: '8px solid transparent', borderLeft: '12px solid var(--mantine-color-gray-6)' }} />
      </Box>
      {bottom.map((c) => box(c, 'bottom'))}
    </Box>
  );
}

function CategoryBox({ category, causes, onChange }: { category: Category; causes: string[]; onChange?: (causes: string[]) => void }) {
  const info = categoryInfo[category];
  const shown = causes.filter((c) => c.trim());
  return (
    <Paper withBorder radius="md" p="xs" style={{ borderTop: `3px solid var(--mantine-color-${info.color}-6)`, flex: 1 }} data-category={category}>
      <Text size="sm" fw={700} title={info.hint}>
        {info.label}
      </Text>
      {onChange ? (
        <CauseEditor label={info.label} hint={info.hint} causes={causes} onChange={onChange} />
      ) : shown.length ? (
        <List size="sm" spacing={2} mt={2} styles={{ itemWrapper: { overflowWrap: 'anywhere' } }}>
          {shown.map((cause, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: positional list
            <List.Item key={i}>{cause}</List.Item>
          ))}
        </List>
      ) : (
        <Text size="xs" c="dimmed">
          No cause noted
        </Text>
      )}
    </Paper>
  );
}

function CauseEditor({ label, hint, causes, onChange }: { label: string; hint: string; causes: string[]; onChange: (causes: string[]) => void }) {
  // One cause per line: blank lines are kept while typing and dropped on save.
  return (
    <Textarea
      mt={4}
      size="xs"
      aria-label={`${label} causes`}
      placeholder={`${hint}. One cause per line.`}
      autosize
      minRows={3}
      maxRows={8}
      value={causes.join('\n')}
      onChange={(e) => onChange(e.currentTarget.value.split('\n'))}
    />
  );
}
