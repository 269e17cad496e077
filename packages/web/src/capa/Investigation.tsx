import { Box, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { FieldInput } from '../record/FieldInput';
import { fieldDef } from '../record/fields';
import { SectionEditor } from '../record/SectionEditor';
import { type CapaDetail, capaEndpoints } from './endpoints';
import { countCauses, Fishbone, type IshikawaValue, normaliseIshikawa } from './Ishikawa';
import { capaFields } from './labels';
import { Labelled, Section } from './Section';

const whysDef = fieldDef(capaFields, 'fiveWhys');

/** The 5 whys as a chain from the problem down to the cause. */
export function FiveWhysChain({ whys, problem }: { whys: string[]; problem: string }) {
  if (!whys.length) {
    return (
      <Text size="sm" c="dimmed">
        Not started: ask "why?" from the problem until you reach a cause you can act on.
      </Text>
    );
  }
  return (
    <Stack gap={0} data-field="fiveWhys">
      <Text size="xs" c="dimmed" lineClamp={1} mb={4}>
        Problem: {problem}
      </Text>
      {whys.map((why, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: positional chain
        <Group key={i} gap="xs" wrap="nowrap" align="flex-start" pl={i * 12} py={3} style={{ borderLeft: '2px solid var(--mantine-color-teal-3)' }}>
          <Text size="xs" fw={700} c="teal.8" w={52} pl={6} style={{ flexShrink: 0 }}>
            Why {i + 1}
          </Text>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {why}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

/** Investigation: the 5 whys, the Ishikawa (6M) diagram and the root cause they lead to. */
export function InvestigationSection({ capa, onReload }: { capa: CapaDetail; onReload: () => void }) {
  const [editing, setEditing] = useState(false);
  const { data } = capa;
  const canEdit = capa.abilities.update && ['open', 'investigation'].includes(capa.status);
  return (
    <Section
      title="Investigation and root cause"
      testId="capa-investigation"
      actions={
        canEdit &&
        !editing && (
          <Button size="xs" variant={capa.status === 'investigation' && !data.rootCause ? 'filled' : 'default'} onClick={() => setEditing(true)}>
            {data.rootCause || data.fiveWhys.length ? 'Edit' : 'Record the investigation'}
          </Button>
        )
      }
    >
      {editing ? (
        <InvestigationForm capa={capa} onDone={() => setEditing(false)} onReload={onReload} />
      ) : (
        <Stack gap="md">
          <Box>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4} style={{ letterSpacing: 0.3 }}>
              5 whys
            </Text>
            <FiveWhysChain whys={data.fiveWhys} problem={data.problemStatement} />
          </Box>
          <Box>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4} style={{ letterSpacing: 0.3 }}>
              Ishikawa (6M) · {countCauses(data.ishikawa)} possible cause{countCauses(data.ishikawa) === 1 ? '' : 's'}
            </Text>
            <Fishbone value={normaliseIshikawa(data.ishikawa)} effect={capa.title} />
          </Box>
          <Labelled label="Root cause" field="rootCause">
            {data.rootCause}
          </Labelled>
        </Stack>
      )}
    </Section>
  );
}

function InvestigationForm({ capa, onDone, onReload }: { capa: CapaDetail; onDone: () => void; onReload: () => void }) {
  const { data } = capa;
  const [whys, setWhys] = useState<string[]>(data.fiveWhys);
  const [ishikawa, setIshikawa] = useState<IshikawaValue>(() => normaliseIshikawa(data.ishikawa));
  const [rootCause, setRootCause] = useState(data.rootCause ?? '');

  const cleanWhys = whys.map((w) => w.trim()).filter(Boolean);
  const cleanIshikawa = normaliseIshikawa(ishikawa);
  const changes: Record<string, unknown> = {};
  if (JSON.stringify(cleanWhys) !== JSON.stringify(data.fiveWhys)) changes.fiveWhys = cleanWhys;
  if (JSON.stringify(cleanIshikawa) !== JSON.stringify(normaliseIshikawa(data.ishikawa))) changes.ishikawa = cleanIshikawa;
  if (rootCause.trim() !== (data.rootCause ?? '')) changes.rootCause = rootCause.trim();

  return (
    <SectionEditor
      record={capa}
      update={capaEndpoints.updateCapa}
      listKey="capas"
      changes={changes}
      labels={{ fiveWhys: '5 whys', ishikawa: 'Ishikawa (6M)', rootCause: 'Root cause' }}
      fieldNames={['fiveWhys', 'ishikawa', 'rootCause']}
      onDone={onDone}
      onReload={onReload}
    >
      {(errorFor) => (
        <Stack gap="md">
          <FieldInput def={whysDef} value={whys} onChange={(v) => setWhys(Array.isArray(v) ? v : [v])} error={errorFor('fiveWhys')} />
          <Box>
            <Text size="sm" fw={500}>
              Ishikawa (6M)
            </Text>
            <Text size="xs" c="dimmed" mb={6}>
              Note possible causes in each category; the diagram helps not to miss one. Empty categories are left out.
            </Text>
            <Fishbone value={ishikawa} effect={capa.title} onChange={setIshikawa} />
            {errorFor('ishikawa') && (
              <Text size="xs" c="red" mt={4}>
                {errorFor('ishikawa')}
              </Text>
            )}
          </Box>
          <Textarea
            label="Root cause"
            description="The cause the corrective and preventive actions remove"
            autosize
            minRows={2}
            maxRows={10}
            value={rootCause}
            onChange={(e) => setRootCause(e.currentTarget.value)}
            error={errorFor('rootCause')}
          />
        </Stack>
      )}
    </SectionEditor>
  );
}
