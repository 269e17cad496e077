import { type ComboboxItem, MultiSelect, type MultiSelectProps, type OptionsFilter, Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { endpoints, type PeopleParams, type Person } from '../endpoints';

/** "Quinn Q. Reviewer (quinn.qa)" */
export function personLabel(person: Pick<Person, 'fullName' | 'username'>): string {
  return `${person.fullName} (${person.username})`;
}

/** A person already named on a record, shown by name even before (or without) the list loading. */
export interface KnownPerson {
  value: string;
  label: string;
}

export interface PeopleFilter extends Omit<PeopleParams, 'limit'> {
  /** Narrows the server's answer further (e.g. to a role the server's permission filter does not name). */
  keep?: (person: Person) => boolean;
  /** People who may not be chosen here (the author of a revision, the owner of a change). */
  exclude?: string[];
  known?: KnownPerson[];
  enabled?: boolean;
}

/**
 * The active people a picker offers, from GET /api/v1/people (open to everyone with a role), filtered
 * by site and permission on the server; people already named stay in the list (by name).
 */
export function usePeople({ q, site, permission, keep, exclude = [], known = [], enabled = true }: PeopleFilter) {
  const people = useQuery({
    queryKey: ['people', { q: q ?? '', site: site ?? '', permission: permission ?? '' }],
    queryFn: () => endpoints.people({ q: q || undefined, site, permission, limit: 500 }),
    enabled,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
  const excluded = new Set(exclude);
  const items = (people.data?.items ?? []).filter((p) => !excluded.has(p.id) && (!keep || keep(p)));
  const byId = new Map<string, ComboboxItem>(items.map((p) => [p.id, { value: p.id, label: personLabel(p) }]));
  for (const person of known) if (!byId.has(person.value)) byId.set(person.value, person);
  return {
    people: items,
    options: [...byId.values()].sort((a, b) => a.label.localeCompare(b.label)),
    isPending: enabled && people.isPending,
    isFetching: people.isFetching,
    error: people.error,
  };
}

/** The server filters: the dropdown shows what it answered. */
const searchAll: OptionsFilter = ({ options }) => options;

type PersonSelectProps = Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> &
  Omit<PeopleFilter, 'q' | 'known'> & {
    value: string | null;
    onChange: (value: string | null) => void;
    /** Label of the current value when it came from elsewhere (the URL, a loaded record). */
    valueLabel?: string | null;
  };

/** One person, searched on the server by name or user name as you type. */
export function PersonSelect({ value, onChange, valueLabel, site, permission, keep, exclude, enabled, ...props }: PersonSelectProps) {
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<ComboboxItem | null>(null);
  const label = valueLabel ?? (chosen?.value === value ? chosen.label : null);
  // After a pick the input shows the chosen label: that is not a search.
  const [q] = useDebouncedValue(search === label ? '' : search.trim(), 250);
  const people = usePeople({ q, site, permission, keep, exclude, enabled, known: value && label ? [{ value, label }] : [] });
  return (
    <Select
      searchable
      filter={searchAll}
      data={people.options}
      value={value}
      onChange={(v, option) => {
        setChosen(option ?? null);
        onChange(v);
      }}
      onSearchChange={setSearch}
      nothingFoundMessage={people.isFetching ? 'Searching…' : people.error ? 'The list of people could not be loaded' : 'Nobody found'}
      placeholder="Type a name"
      {...props}
    />
  );
}

type PeopleMultiSelectProps = Omit<MultiSelectProps, 'data' | 'value' | 'onChange'> &
  Omit<PeopleFilter, 'q'> & {
    value: string[];
    onChange: (value: string[]) => void;
  };

/** Several people from one (site- and permission-filtered) list, searched in the browser. */
export function PeopleMultiSelect({ value, onChange, site, permission, keep, exclude, known, enabled, ...props }: PeopleMultiSelectProps) {
  const people = usePeople({ site, permission, keep, exclude, known, enabled });
  return (
    <MultiSelect
      searchable
      data={people.options}
      value={value}
      onChange={onChange}
      nothingFoundMessage={people.isPending ? 'Loading people…' : people.error ? 'The list of people could not be loaded' : 'No matching person'}
      {...props}
    />
  );
}
