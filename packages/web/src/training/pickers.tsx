import { type ComboboxItem, type OptionsFilter, Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PersonSelect } from '../components/people';
import type { Me } from '../endpoints';
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
 * Search active people by name or user name (GET /api/v1/people). `site` and `permission` narrow
 * the list on the server; the signed-in person is named by name even before the list loads.
 */
export function PersonPicker({
  currentUser: me,
  value,
  valueLabel,
  site,
  permission,
  ...props
}: PickerProps & { currentUser: Me; site?: string; permission?: string }) {
  return <PersonSelect value={value} valueLabel={valueLabel ?? (value === me.id ? `${me.fullName} (${me.username})` : undefined)} site={site} permission={permission} {...props} />;
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
