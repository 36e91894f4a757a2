import { describe, expect, it } from 'vitest';
import type { UpstreamSummary } from '../../../../../src-shared/model/integration';
import { domainGroups, importedCount, searchUpstream } from '../import-selection';

const upstream: UpstreamSummary[] = Array.from({ length: 3_000 }, (_, i) => {
  const domain = ['light', 'sensor', 'switch'][i % 3]!;
  return { upstreamId: `${domain}.item_${i}`, domain, name: `Item ${i}`, entityType: 'other', imported: false };
});

describe('import selection', () => {
  it('groups by domain with counts', () => {
    expect(domainGroups(upstream)).toEqual([
      { domain: 'light', count: 1_000 },
      { domain: 'sensor', count: 1_000 },
      { domain: 'switch', count: 1_000 },
    ]);
  });

  it('shows at most the limit, and counts every match', () => {
    expect(searchUpstream(upstream, '', 200)).toMatchObject({ total: 3_000 });
    expect(searchUpstream(upstream, '', 200).shown).toHaveLength(200);
    const found = searchUpstream(upstream, 'ITEM_29', 200);
    expect(found.total).toBe(111);
    expect(found.shown.every((u) => u.upstreamId.includes('item_29'))).toBe(true);
  });

  it('counts what a selection imports', () => {
    expect(importedCount(upstream, new Set(['light']), new Set(['light.item_0', 'sensor.item_1']))).toBe(1_001);
  });
});
