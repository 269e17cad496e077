import { type ComboboxItem, type OptionsFilter, Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { hasPermission } from '../auth';
import { endpoints, type Me } from '../endpoints';
import { type DocumentListItem, training } from './endpoints';

type PickerProps = Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> & {
  value: string | null;
  onChange: (value: string | null) => void;
  /** Label of the current value when it came from elsewhere (the URL, a loaded record). */
  valueLabel?: string | null;
};

/** Keeps the chosen option in the list while the search shows other results. */
function withSelected(options: ComboboxItem[], value: string | null, label: string | null | undefined): ComboboxItem[] {
  if (!value || options.some((o) => o.value === value)) return options;
  return [{ value, label: label ?? 'Selected' }, ...options];
}

/** The server filters: the dropdown shows what it answered. */
const searchAll: OptionsFilter = ({ options }) => options;

/**
 * Search people by name or user name. Training readers search the people of the training matrix,
 * user administrators the user list; everyone else can only pick themselves.
 */
export function PersonPicker({ currentUser: me, value, onChange, valueLabel, ...props }: PickerProps & { currentUser: Me }) {
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<ComboboxItem | null>(null);
  const label = valueLabel ?? (chosen?.value === value ? chosen.label : null) ?? (value === me.id ? `${me.fullName} (${me.username})` : null);
  // After a pick the input shows the chosen label: that is not a search.
  const [q] = useDebouncedValue(search === label ? '' : search.trim(), 250);
  const source = hasPermission(me, 'training:read') ? 'matrix' : hasPermission(me, 'user:manage') ? 'users' : 'self';
  const people = useQuery({
    queryKey: ['training', 'people', source, source === 'matrix' ? q : ''],
    queryFn: async (): Promise<ComboboxItem[]> => {
      if (source === 'matrix') return (await training.matrix({ q: q || undefined, limit: 25 })).people.map((p) => ({ value: p.id, label: `${p.fullName} (${p.username})` }));
      if (source === 'users') return (await endpoints.users()).items.filter((u) => u.active).map((u) => ({ value: u.id, label: `${u.fullName} (${u.username})` }));
      return [{ value: me.id, label: `${me.fullName} (${me.username})` }];
    },
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  let options = people.data ?? [];
  if (source === 'users' && q) options = options.filter((o) => o.label.toLowerCase().includes(q.toLowerCase()));
  return (
    <Select
      searchable
      filter={searchAll}
      data={withSelected(options, value, label)}
      value={value}
      onChange={(v, option) => {
        setChosen(option ?? null);
        onChange(v);
      }}
      onSearchChange={setSearch}
      nothingFoundMessage={people.isFetching ? 'Searching…' : 'Nobody found'}
      placeholder="Type a name"
      {...props}
    />
  );
}

/** Search controlled documents by number or title. */
export function DocumentPicker({ value, onChange, valueLabel, onPick, ...props }: PickerProps & { onPick?: (document: DocumentListItem | null) => void }) {
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<ComboboxItem | null>(null);
  const label = valueLabel ?? (chosen?.value === value ? chosen.label : null);
  const [q] = useDebouncedValue(search === label ? '' : search.trim(), 250);
  const documents = useQuery({ queryKey: ['training', 'document-search', q], queryFn: () => training.documents(q), placeholderData: keepPreviousData, staleTime: 30_000 });
  const items = documents.data?.items ?? [];
  const options = items.map((d) => ({ value: d.id, label: `${d.number} — ${d.title}` }));
  return (
    <Select
      searchable
      filter={searchAll}
      data={withSelected(options, value, label)}
      value={value}
      onChange={(v, option) => {
        setChosen(option ?? null);
        onChange(v);
        onPick?.(items.find((d) => d.id === v) ?? null);
      }}
      onSearchChange={setSearch}
      nothingFoundMessage={documents.isFetching ? 'Searching…' : 'No document found'}
      placeholder="Number or title"
      {...props}
    />
  );
}
