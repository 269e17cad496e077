import { AppShell, Box, Burger, Button, Group, NavLink, ScrollArea, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { roleLabels } from '@verity/contracts';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { hasPermission, useSignOut } from '../auth';
import { endpoints, type Me } from '../endpoints';
import { formatLocal, localZone } from '../format';
import { linkProps, navigate, useLocation, withQuery } from '../router';

interface NavItem {
  to: string;
  label: string;
  /** Active also for sub-paths (e.g. /deviations/123). */
  prefix?: boolean;
  /** Active also on paths matching this (e.g. one training assignment under "My training"). */
  alsoActive?: RegExp;
  permission?: string;
}

const navSections: { title: string; items: NavItem[] }[] = [
  { title: 'Work', items: [{ to: '/', label: 'My tasks' }, { to: '/search', label: 'Search' }, { to: '/account', label: 'My account' }] },
  {
    title: 'Quality events',
    items: [
      { to: '/deviations', label: 'Deviations', prefix: true },
      { to: '/capas', label: 'CAPA', prefix: true, alsoActive: /^\/actions\//, permission: 'capa:read' },
      { to: '/changes', label: 'Change control', prefix: true, permission: 'change:read' },
    ],
  },
  { title: 'Document control', items: [{ to: '/documents', label: 'Documents', prefix: true, permission: 'document:read' }] },
  {
    title: 'Training',
    items: [
      { to: '/training', label: 'My training', alsoActive: /^\/training\/[0-9a-fA-F-]{36}$/ },
      { to: '/training/matrix', label: 'Training matrix', permission: 'training:read' },
      { to: '/training/qualification', label: 'Qualification lookup' },
      { to: '/training/sessions/new', label: 'Record a session', permission: 'training:deliver' },
      { to: '/training/job-functions', label: 'Job functions', permission: 'training:read' },
    ],
  },
  {
    title: 'Administration',
    items: [
      { to: '/admin/users', label: 'Users', permission: 'user:manage' },
      { to: '/admin/document-types', label: 'Document types', permission: 'document:manage' },
      { to: '/admin/integrity', label: 'Audit-trail integrity', permission: 'audit:verify' },
    ],
  },
];

/** "QA manager (BER, BOS) · Investigator (BER)" */
export function describeRoles(roles: Me['roles']): string {
  const byRole = new Map<string, string[]>();
  for (const grant of roles) byRole.set(grant.role, [...(byRole.get(grant.role) ?? []), grant.siteCode]);
  return [...byRole.entries()]
    .map(([role, sites]) => `${roleLabels[role as keyof typeof roleLabels] ?? role} (${sites.join(', ')})`)
    .join(' · ');
}

function HeaderSearch() {
  const location = useLocation();
  const urlQ = location.pathname === '/search' ? (location.search.get('q') ?? '') : null;
  const [q, setQ] = useState(urlQ ?? '');
  useEffect(() => {
    if (urlQ !== null) setQ(urlQ);
  }, [urlQ]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (q.trim()) navigate(withQuery('/search', { q: q.trim() }));
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is not yet styled or announced consistently; the landmark role is
    <form onSubmit={submit} role="search" style={{ flex: 1, maxWidth: 420 }}>
      <TextInput
        aria-label="Search all records"
        placeholder="Search records (number, title, text)…"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        size="sm"
      />
    </form>
  );
}

export function AppLayout({ me, children }: { me: Me; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const version = useQuery({ queryKey: ['version'], queryFn: endpoints.version, staleTime: Number.POSITIVE_INFINITY, meta: { silent: true } });

  const pathname = location.pathname;
  // Close the mobile navigation after every page change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pathname is the trigger, not an input
  useEffect(() => close(), [pathname, close]);

  const signOut = useSignOut();

  const isActive = (item: NavItem) =>
    (item.prefix ? location.pathname === item.to || location.pathname.startsWith(`${item.to}/`) : location.pathname === item.to) || !!item.alsoActive?.test(location.pathname);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 232, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="md"
      styles={{ main: { background: 'var(--mantine-color-gray-0)' } }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="md" wrap="nowrap">
          <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label="Toggle navigation" />
          <a {...linkProps('/')} style={{ textDecoration: 'none', color: 'inherit' }}>
            <Group gap={6} wrap="nowrap">
              <Box w={22} h={22} bg="teal.7" style={{ borderRadius: 5 }} aria-hidden />
              <Title order={4} fw={650} c="dark.7">
                Verity
              </Title>
            </Group>
          </a>
          <HeaderSearch />
          <Group gap="sm" ml="auto" wrap="nowrap">
            <Box
              component="a"
              {...linkProps('/account')}
              title="My account: password, two-factor authentication, API tokens"
              ta="right"
              visibleFrom="md"
              style={{ lineHeight: 1.2, textDecoration: 'none', color: 'inherit' }}
            >
              <Text size="sm" fw={600} data-testid="current-user" c="teal.8">
                {me.fullName}
              </Text>
              <Text size="xs" c="dimmed" lineClamp={1} maw={380}>
                {describeRoles(me.roles) || 'No roles'}
              </Text>
            </Box>
            <Button variant="default" size="xs" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap="md" pt="xs">
            {navSections.map((section) => {
              const visible = section.items.filter((item) => !item.permission || hasPermission(me, item.permission));
              if (!visible.length) return null;
              return (
                <div key={section.title}>
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4} style={{ letterSpacing: 0.4 }}>
                    {section.title}
                  </Text>
                  {visible.map((item) => (
                    <NavLink key={item.to} label={item.label} active={isActive(item)} {...linkProps(item.to)} styles={{ root: { borderRadius: 6 } }} />
                  ))}
                </div>
              );
            })}
          </Stack>
        </AppShell.Section>
        <AppShell.Section px="sm" pb="xs">
          <Box hiddenFrom="md" mb="xs" component="a" {...linkProps('/account')} style={{ display: 'block', textDecoration: 'none', color: 'inherit' }}>
            <Text size="sm" fw={600} c="teal.8">
              {me.fullName}
            </Text>
            <Text size="xs" c="dimmed">
              {describeRoles(me.roles)}
            </Text>
          </Box>
          <Tooltip label={`Times are shown in ${localZone}; hover a time to see UTC`} openDelay={400}>
            <Text size="xs" c="dimmed">
              Time zone: {localZone}
            </Text>
          </Tooltip>
          <Text size="xs" c="dimmed" data-testid="app-version">
            Verity {version.data ? `${version.data.version}${version.data.commit ? ` (${version.data.commit.slice(0, 7)})` : ''}` : ''}
          </Text>
          {me.sessionExpiresAt && (
            <Text size="xs" c="dimmed">
              Session until {formatLocal(me.sessionExpiresAt)}
            </Text>
          )}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Box maw={1400} mx="auto">
          {children}
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
