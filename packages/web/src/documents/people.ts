import { useQuery } from '@tanstack/react-query';
import { hasPermission, useMe } from '../auth';
import { endpoints } from '../endpoints';
import { documentEndpoints } from './endpoints';
import { reviewerRoles } from './labels';

export interface PersonOption {
  value: string;
  label: string;
}

export interface People {
  options: PersonOption[];
  /** Where the list came from: the user directory (with roles), the training matrix (people only), or nowhere. */
  source: 'users' | 'matrix' | 'none';
  isPending: boolean;
}

/**
 * The people a document author can pick (reviewers, named readers): from the user directory where
 * it is open (it has the roles, so reviewers can be narrowed to those who may review), else from the
 * training matrix's list of active people (the server checks each reviewer's rights on save).
 */
export function usePeople({ site, reviewersOnly = false, exclude = [], known = [] }: { site?: string; reviewersOnly?: boolean; exclude?: string[]; known?: PersonOption[] }): People {
  const me = useMe().data;
  const canReadMatrix = hasPermission(me, 'training:read');
  // Administrators read the directory; others try it only when the matrix is closed to them too (it may be opened to authors later).
  const users = useQuery({
    queryKey: ['documents', 'people', 'users'],
    queryFn: endpoints.users,
    enabled: hasPermission(me, 'user:manage') || !canReadMatrix,
    staleTime: 60_000,
    retry: false,
    meta: { silent: true },
  });
  const matrixAllowed = canReadMatrix && !users.isSuccess && !users.isFetching;
  const matrix = useQuery({
    queryKey: ['documents', 'people', 'matrix', site ?? ''],
    queryFn: () => documentEndpoints.people(site),
    enabled: matrixAllowed,
    staleTime: 60_000,
    meta: { silent: true },
  });

  let options: PersonOption[] = [];
  let source: People['source'] = 'none';
  if (users.isSuccess) {
    source = 'users';
    options = users.data.items
      .filter((u) => u.active)
      .filter((u) => !reviewersOnly || u.roles.some((g) => reviewerRoles.has(g.role) && (!site || g.siteCode === site)))
      .map((u) => ({ value: u.id, label: `${u.fullName} (${u.username})` }));
  } else if (matrix.isSuccess) {
    source = 'matrix';
    options = matrix.data.people.map((p) => ({ value: p.id, label: `${p.fullName} (${p.username})` }));
  }
  const excluded = new Set(exclude);
  const byId = new Map(options.filter((o) => !excluded.has(o.value)).map((o) => [o.value, o]));
  // People already named stay choosable (and shown by name) even when the list cannot be loaded.
  for (const person of known) if (!byId.has(person.value)) byId.set(person.value, person);
  return {
    options: [...byId.values()].sort((a, b) => a.label.localeCompare(b.label)),
    source,
    isPending: (users.isFetching && !users.isSuccess) || (matrixAllowed && matrix.isPending),
  };
}
