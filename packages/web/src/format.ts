/** Timestamps: the API sends ISO UTC; people read local time with the zone, inspectors also want UTC. */

const localFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});
const localSeconds = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});
const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit', timeZone: 'UTC' });

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "12 Mar 2026, 14:05 CET" */
export function formatLocal(iso: string | null | undefined, withSeconds = false): string {
  const date = parse(iso);
  if (!date) return iso ?? '—';
  return (withSeconds ? localSeconds : localFormat).format(date);
}

/** "2026-03-12 13:05:11 UTC" */
export function formatUtc(iso: string | null | undefined): string {
  const date = parse(iso);
  if (!date) return iso ?? '—';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Due dates are calendar dates ("2026-04-11"): shown without a time or zone shift. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return date ? dateOnly.format(date) : value;
}

/** The browser's time zone name, e.g. "Europe/Berlin". */
export const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** A value of a record field as text: null → "—", arrays joined, objects as JSON. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map((v, i) => `${i + 1}) ${displayValue(v)}`).join('  ') : '—';
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([key, v]) => `${humanize(key)}: ${displayValue(v)}`)
      .join(', ');
  }
  return String(value);
}

/** "root_cause_category" / "rootCauseCategory" → "Root cause category" */
export function humanize(name: string): string {
  const spaced = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
