import { Box, Button, Grid, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { SectionEditor } from '../record/SectionEditor';
import { type CapaDetail, capaEndpoints } from './endpoints';
import { RiskMatrix } from './RiskMatrix';
import { Labelled, Section } from './Section';

/** The problem and its risk: the statement, and severity x occurrence on the matrix, giving the priority. */
export function ProblemSection({ capa, onReload }: { capa: CapaDetail; onReload: () => void }) {
  const [editing, setEditing] = useState(false);
  const { data } = capa;
  return (
    <Section
      title="Problem and risk"
      testId="capa-problem"
      actions={
        capa.abilities.update &&
        !editing && (
          <Button size="xs" variant="default" onClick={() => setEditing(true)}>
            Edit
          </Button>
        )
      }
    >
      {editing ? (
        <ProblemForm capa={capa} onDone={() => setEditing(false)} onReload={onReload} />
      ) : (
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Labelled label="Problem statement" field="problemStatement">
              {data.problemStatement}
            </Labelled>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Box>
              <RiskMatrix severity={data.riskSeverity} occurrence={data.riskOccurrence} />
            </Box>
          </Grid.Col>
        </Grid>
      )}
    </Section>
  );
}

function ProblemForm({ capa, onDone, onReload }: { capa: CapaDetail; onDone: () => void; onReload: () => void }) {
  const { data } = capa;
  const [title, setTitle] = useState(capa.title);
  const [problem, setProblem] = useState(data.problemStatement);
  const [severity, setSeverity] = useState<number | null>(data.riskSeverity);
  const [occurrence, setOccurrence] = useState<number | null>(data.riskOccurrence);
  const changes: Record<string, unknown> = {};
  if (title.trim() !== capa.title) changes.title = title.trim();
  if (problem.trim() !== data.problemStatement) changes.problemStatement = problem.trim();
  if (severity !== data.riskSeverity && severity) changes.riskSeverity = severity;
  if (occurrence !== data.riskOccurrence && occurrence) changes.riskOccurrence = occurrence;
  return (
    <SectionEditor
      record={capa}
      update={capaEndpoints.updateCapa}
      listKey="capas"
      changes={changes}
      labels={{ title: 'Title', problemStatement: 'Problem statement', riskSeverity: 'Risk severity', riskOccurrence: 'Risk occurrence' }}
      fieldNames={['title', 'problemStatement', 'riskSeverity', 'riskOccurrence']}
      onDone={onDone}
      onReload={onReload}
    >
      {(errorFor) => (
        <Stack gap="sm">
          <TextInput label="Title" required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={errorFor('title')} />
          <Textarea
            label="Problem statement"
            description="What is wrong, where, how often, since when: the facts"
            required
            autosize
            minRows={3}
            maxRows={12}
            value={problem}
            onChange={(e) => setProblem(e.currentTarget.value)}
            error={errorFor('problemStatement')}
          />
          <RiskMatrix
            label="Risk"
            required
            severity={severity}
            occurrence={occurrence}
            onChange={(s, o) => {
              setSeverity(s);
              setOccurrence(o);
            }}
            error={errorFor('riskSeverity') ?? errorFor('riskOccurrence')}
          />
        </Stack>
      )}
    </SectionEditor>
  );
}
