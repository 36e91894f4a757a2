import { addressOrigin, type IntegrationView, type SyncReport } from '../../../../src-shared/model/integration';

type Field = IntegrationView['fields'][number];

/** How many pending removals the confirmation lists by name; the rest are counted. */
export const NAMED_REMOVALS = 8;

/**
 * Saved secrets that must be typed again because an address is being changed: the hub sends a saved secret only
 * to the address it was saved with.
 */
export function secretsNeededAgain(fields: readonly Field[], drafts: Readonly<Record<string, string>>): Field[] {
  const addressChanged = fields.some((f) => {
    const draft = drafts[f.key];
    return f.type === 'url' && draft !== undefined && addressOrigin(draft) !== addressOrigin(f.value ?? '');
  });
  if (!addressChanged) return [];
  return fields.filter((f) => f.type === 'secret' && f.hasValue && (drafts[f.key] ?? '') === '');
}

export function secretAgainNote(field: Field): string {
  return `Changing the address needs the ${lowerFirst(field.label)} again.`;
}

/** "Home Assistant no longer lists 37 of 40 items. Remove them?" */
export function removalQuestion(integrationLabel: string, report: SyncReport): string {
  const count = report.pendingRemovals.length;
  const items = report.importedBefore === 1 ? 'item' : 'items';
  return `${integrationLabel} no longer lists ${count} of ${report.importedBefore} ${items}. Remove ${count === 1 ? 'it' : 'them'}?`;
}

/** The names the confirmation shows, and how many more there are. */
export function namedRemovals(report: SyncReport): { names: string[]; more: number } {
  const names = report.pendingRemovals.slice(0, NAMED_REMOVALS).map((p) => p.name);
  return { names, more: report.pendingRemovals.length - names.length };
}

/** Null when every upstream entry could be read. */
export function unreadableNote(report: SyncReport): string | null {
  if (report.unreadable === 0) return null;
  const entries = report.unreadable === 1 ? '1 entry' : `${report.unreadable} entries`;
  return `${entries} could not be read; their items were left as they are.`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
