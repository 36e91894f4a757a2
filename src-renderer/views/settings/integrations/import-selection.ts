import type { UpstreamSummary } from '../../../../src-shared/model/integration';

export interface DomainGroup {
  domain: string;
  count: number;
}

/** The upstream domains, alphabetically, with how many entities each has. */
export function domainGroups(upstream: readonly UpstreamSummary[]): DomainGroup[] {
  const counts = new Map<string, number>();
  for (const item of upstream) counts.set(item.domain, (counts.get(item.domain) ?? 0) + 1);
  return [...counts].map(([domain, count]) => ({ domain, count })).sort((a, b) => a.domain.localeCompare(b.domain));
}

/**
 * The first `limit` entities whose name or id contains the query (case-insensitive), and how many match in all: a
 * house may have thousands upstream, and the list shows only what a person can scan.
 */
export function searchUpstream(upstream: readonly UpstreamSummary[], query: string, limit: number): { shown: UpstreamSummary[]; total: number } {
  const needle = query.trim().toLowerCase();
  const shown: UpstreamSummary[] = [];
  let total = 0;
  for (const item of upstream) {
    if (needle !== '' && !item.name.toLowerCase().includes(needle) && !item.upstreamId.toLowerCase().includes(needle)) continue;
    total += 1;
    if (shown.length < limit) shown.push(item);
  }
  return { shown, total };
}

/** How many upstream entities the selection imports: those of a chosen domain, and those chosen one by one. */
export function importedCount(upstream: readonly UpstreamSummary[], domains: ReadonlySet<string>, entities: ReadonlySet<string>): number {
  return upstream.filter((item) => domains.has(item.domain) || entities.has(item.upstreamId)).length;
}
