import { Anchor, Paper, Text, Title } from '@mantine/core';
import { linkProps } from '../router';

export function NotFoundPage() {
  return (
    <Paper withBorder p="lg">
      <Title order={3}>Page not found</Title>
      <Text size="sm" mt="xs">
        There is no page at this address. Go to <Anchor {...linkProps('/')}>your tasks</Anchor>.
      </Text>
    </Paper>
  );
}
