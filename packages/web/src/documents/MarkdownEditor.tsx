import { Box, Input, Paper, ScrollArea, SimpleGrid, Text, Textarea } from '@mantine/core';
import { useDeferredValue } from 'react';
import { Markdown } from './Markdown';

/** The text of a draft: Markdown on the left, the rendered preview (as readers will see it) on the right. */
export function MarkdownEditor({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  const preview = useDeferredValue(value);
  return (
    <Input.Wrapper
      label="Text"
      description="Markdown: # Heading, ## Section, **bold**, *italic*, - list item, 1. numbered step. HTML is not rendered."
      error={error}
    >
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm" mt={6}>
        <Textarea
          aria-label="Text (Markdown)"
          autosize
          minRows={14}
          maxRows={36}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          error={Boolean(error)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13, lineHeight: 1.5 } }}
          data-testid="markdown-input"
        />
        <Paper withBorder radius="sm" bg="white" aria-label="Preview">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt={6} style={{ letterSpacing: 0.3 }}>
            Preview
          </Text>
          <ScrollArea.Autosize mah={720} px="sm" pb="sm">
            {preview.trim() ? (
              <Box fz="sm">
                <Markdown source={preview} testId="markdown-preview" />
              </Box>
            ) : (
              <Text size="sm" c="dimmed" py="sm">
                Nothing written yet.
              </Text>
            )}
          </ScrollArea.Autosize>
        </Paper>
      </SimpleGrid>
    </Input.Wrapper>
  );
}
