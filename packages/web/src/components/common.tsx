import { Alert, Badge, Button, Center, Group, List, Loader, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError, isApiError } from '../api';
import { formatLocal, formatUtc } from '../format';

const statusColors: Record<string, string> = {
  reported: 'blue',
  draft: 'gray',
  under_investigation: 'yellow',
  pending_qa_approval: 'orange',
  approved: 'teal',
  closed: 'gray',
  cancelled: 'red',
  // documents and their revisions
  in_review: 'yellow',
  effective: 'green',
  superseded: 'gray',
  obsolete: 'dark',
  withdrawn: 'red',
  // change control
  in_approval: 'orange',
  implementation: 'yellow',
  verification: 'cyan',
  rejected: 'red',
  // CAPA and actions
  open: 'blue',
  investigation: 'yellow',
  effectiveness_check: 'cyan',
  verified: 'teal',
  done: 'green',
};

/** A record status as a badge, coloured by how far along the workflow it is. */
export function StatusBadge({ status, label }: { status: string; label: string }) {
  return (
    <Badge color={statusColors[status] ?? 'blue'} variant="light" radius="sm" tt="none" styles={{ root: { maxWidth: 'none', flexShrink: 0 }, label: { overflow: 'visible' } }}>
      {label}
    </Badge>
  );
}

/** Local time with zone; UTC on hover. */
export function DateTime({ iso, seconds = false }: { iso: string | null | undefined; seconds?: boolean }) {
  if (!iso) return <Text span c="dimmed">—</Text>;
  return (
    <Tooltip label={formatUtc(iso)} openDelay={300}>
      <time dateTime={iso} style={{ whiteSpace: 'nowrap' }}>
        {formatLocal(iso, seconds)}
      </time>
    </Tooltip>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <Center py="xl" aria-live="polite">
      <Loader size="sm" mr="sm" />
      <Text c="dimmed" size="sm">
        {label}
      </Text>
    </Center>
  );
}

/** A failed query shown in place of its content. */
export function QueryError({ error, what }: { error: unknown; what: string }) {
  const message = isApiError(error) ? [error.problem.title, error.problem.detail].filter(Boolean).join(': ') : String(error);
  return (
    <Alert color="red" title={`Could not load ${what}`} role="alert">
      {message}
    </Alert>
  );
}

/**
 * Errors of a failed submit that are not shown next to a field (or have no field): listed once
 * above the buttons so nothing the server said is lost.
 */
export function FormProblem({ error, shownFields = [], ignoredFields = [] }: { error: unknown; shownFields?: string[]; ignoredFields?: string[] }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) {
    return (
      <Alert color="red" title="The action failed" role="alert">
        {String(error)}
      </Alert>
    );
  }
  const { title, detail, errors = [] } = error.problem;
  const matches = (path: string, fields: string[]) => fields.some((f) => path === f || path.endsWith(`.${f}`) || path.startsWith(`${f}.`));
  const rest = errors.filter((e) => !matches(e.path, shownFields) && !matches(e.path, ignoredFields));
  // When every message already stands next to its field, the detail would only repeat them.
  const allAtFields = errors.length > 0 && errors.every((e) => matches(e.path, shownFields));
  return (
    <Alert color="red" title={title} role="alert">
      {detail && !allAtFields && <Text size="sm">{detail}</Text>}
      {rest.length > 0 && (
        <List size="sm" mt={4}>
          {rest.map((e) => (
            <List.Item key={`${e.path}:${e.message}`}>
              {e.path ? <strong>{e.path}: </strong> : null}
              {e.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" size="sm" py="md" ta="center">
      {children}
    </Text>
  );
}

/** Field error of a failed submit, for a form input's `error` prop. */
export function fieldError(error: unknown, name: string): string | undefined {
  return isApiError(error) ? error.fieldError(name) : undefined;
}

/** The buttons at the foot of a form: an optional Cancel and the submit button, right-aligned. */
export function FormActions({ submitLabel, loading, onCancel }: { submitLabel: string; loading: boolean; onCancel?: () => void }) {
  return (
    <Group justify="flex-end">
      {onCancel && (
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
      )}
      <Button type="submit" loading={loading}>
        {submitLabel}
      </Button>
    </Group>
  );
}
