import { Box, Center, Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The centred card used by the signed-out pages (sign in, setup, password change). */
export function AuthFrame({ title, subtitle, children, width = 420 }: { title: string; subtitle?: string; children: ReactNode; width?: number }) {
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Box w="100%" maw={width}>
        <Group gap={8} mb="md" justify="center">
          <Box w={26} h={26} bg="teal.7" style={{ borderRadius: 6 }} aria-hidden />
          <Title order={2} fw={650}>
            Verity
          </Title>
        </Group>
        <Paper withBorder shadow="xs" p="xl" radius="md">
          <Title order={3} mb={subtitle ? 4 : 'md'}>
            {title}
          </Title>
          {subtitle && (
            <Text size="sm" c="dimmed" mb="md">
              {subtitle}
            </Text>
          )}
          {children}
        </Paper>
        <Text size="xs" c="dimmed" ta="center" mt="md">
          Electronic quality management · 21 CFR Part 11 / EU GMP Annex 11
        </Text>
      </Box>
    </Center>
  );
}

/** The server's password policy (checked again on the server; see checkPasswordPolicy). */
export function PasswordPolicy({ expiry = false }: { expiry?: boolean }) {
  return (
    <Box component="ul" m={0} pl="md" data-testid="password-policy" style={{ fontSize: 'var(--mantine-font-size-sm)', color: 'var(--mantine-color-dimmed)' }}>
      <li>at least 12 characters</li>
      <li>must not contain your user name</li>
      <li>not easy to guess (no single repeated character, no common password)</li>
      <li>not one of your last 5 passwords</li>
      {expiry && <li>expires after 90 days: you will then be asked for a new one</li>}
    </Box>
  );
}
