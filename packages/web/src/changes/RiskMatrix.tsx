import { Badge, Box, Group, Select, SimpleGrid, Text } from '@mantine/core';
import { probabilityLabels, riskBand, severityLabels } from './labels';

const scale = [1, 2, 3, 4, 5];
const cellColor = (score: number) => `var(--mantine-color-${riskBand(score).color}-${score >= 10 ? 2 : 1})`;

/** The 5 × 5 grid of severity × probability with the change's cell marked: the score read at a glance. */
export function RiskMatrix({ severity, probability }: { severity: number | null; probability: number | null }) {
  const cell = 20;
  return (
    <Box role="img" aria-label={severity && probability ? `Risk matrix: severity ${severity}, probability ${probability}` : 'Risk matrix, not rated'}>
      <Group gap={6} align="flex-end" wrap="nowrap">
        <Text size="xs" c="dimmed" style={{ writingMode: 'vertical-rl', transform: 'rotate(180deg)' }}>
          Severity →
        </Text>
        <div>
          <div style={{ display: 'grid', gridTemplateColumns: `repeat(5, ${cell}px)`, gap: 2 }}>
            {[...scale].reverse().flatMap((s) =>
              scale.map((p) => {
                const marked = s === severity && p === probability;
                return (
                  <div
                    key={`${s}-${p}`}
                    title={`Severity ${s} × probability ${p} = ${s * p}`}
                    style={{
                      width: cell,
                      height: cell,
                      borderRadius: 3,
                      background: marked ? `var(--mantine-color-${riskBand(s * p).color}-6)` : cellColor(s * p),
                      outline: marked ? '2px solid var(--mantine-color-dark-6)' : undefined,
                      color: marked ? 'white' : 'var(--mantine-color-gray-7)',
                      fontSize: 10,
                      fontWeight: marked ? 700 : 400,
                      display: 'flex',
                      alignItems: 'center',
                      justifyContent: 'center',
                    }}
                  >
                    {marked ? s * p : ''}
                  </div>
                );
              }),
            )}
          </div>
          <Text size="xs" c="dimmed" mt={2}>
            Probability →
          </Text>
        </div>
      </Group>
    </Box>
  );
}

/** Score and band of a rating, e.g. "12 · High". */
export function RiskScore({ severity, probability }: { severity: number | null; probability: number | null }) {
  const score = severity && probability ? severity * probability : null;
  const band = riskBand(score);
  return (
    <Group gap="xs">
      <Badge color={band.color} variant={score === null ? 'outline' : 'light'} size="lg" tt="none">
        {score === null ? 'Not rated' : `${band.label} risk · ${score}`}
      </Badge>
      {severity && probability ? (
        <Text size="xs" c="dimmed">
          {severity} {severityLabels[severity]} × {probability} {probabilityLabels[probability]}
        </Text>
      ) : null}
    </Group>
  );
}

const options = (labels: Record<number, string>) => scale.map((n) => ({ value: String(n), label: `${n} — ${labels[n]}` }));

/** Severity and probability as two choices of 1–5. */
export function RiskInputs({
  severity,
  probability,
  onChange,
  errorFor,
}: {
  severity: number | null;
  probability: number | null;
  onChange: (value: { severity: number | null; probability: number | null }) => void;
  errorFor: (name: string) => string | undefined;
}) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
      <Select
        label="Severity"
        description="How bad would it be if the change went wrong?"
        required
        data={options(severityLabels)}
        value={severity ? String(severity) : null}
        onChange={(v) => onChange({ severity: v ? Number(v) : null, probability })}
        error={errorFor('riskSeverity')}
        placeholder="1 to 5"
      />
      <Select
        label="Probability"
        description="How likely is it to go wrong?"
        required
        data={options(probabilityLabels)}
        value={probability ? String(probability) : null}
        onChange={(v) => onChange({ severity, probability: v ? Number(v) : null })}
        error={errorFor('riskProbability')}
        placeholder="1 to 5"
      />
    </SimpleGrid>
  );
}
