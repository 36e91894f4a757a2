import { styleTokenFor, type StateStyleToken } from '../../../src-shared/enums/entity';
import type { EntityStateView, Placement } from '../../../src-shared/model/location';
import type { PlanViewData } from '../../store/home-slice';

/** Something drawn on the plan: an entity or a collection. */
export interface ItemRef {
  kind: 'entity' | 'collection';
  id: number;
}

export interface PlanItem extends ItemRef {
  name: string;
  type: string;
  placement: Placement;
}

/** Icons take this share of the view's width at scale 1: about 38 px on a 1280 px panel showing the whole view. */
export const ICON_VIEW_FRACTION = 0.03;
/** The icon's round background, relative to the icon's nominal size. */
export const ICON_DISC_RADIUS = 0.75;

/** The hatching of stale items: one pattern per plan, sized by the view's icon unit. */
export const STALE_HATCH_ID = 'plan-stale-hatch';

/** Marks an item's element (and its hit area) so that one pointer handler on the canvas finds it. */
export const itemKey = (ref: ItemRef): string => `${ref.kind}:${ref.id}`;

export function parseItemKey(key: string | null | undefined): ItemRef | null {
  const match = /^(entity|collection):(\d+)$/.exec(key ?? '');
  return match ? { kind: match[1] as ItemRef['kind'], id: Number(match[2]) } : null;
}

export const sameRef = (a: ItemRef | null, b: ItemRef | null): boolean => a?.kind === b?.kind && a?.id === b?.id;

/** The style of an entity's primary (first) state. */
export function primaryToken(states: readonly EntityStateView[] | undefined): StateStyleToken {
  const primary = states?.[0];
  return primary ? styleTokenFor(primary.type, primary.value) : 'neutral';
}

const SEVERITY: readonly StateStyleToken[] = ['alarm', 'alert', 'warning', 'unavailable', 'active', 'ok', 'inactive', 'neutral'];

/** The most pressing of several tokens: what a collection shows for its members. */
export function worstToken(tokens: Iterable<StateStyleToken>): StateStyleToken {
  let worst = SEVERITY.length - 1;
  for (const token of tokens) worst = Math.min(worst, SEVERITY.indexOf(token));
  return SEVERITY[worst]!;
}

export function findItem(data: PlanViewData, ref: ItemRef | null): PlanItem | null {
  if (!ref) return null;
  const found = ref.kind === 'entity' ? data.entities.find((e) => e.id === ref.id) : data.collections.find((c) => c.id === ref.id);
  return found ? { kind: ref.kind, id: found.id, name: found.name, type: found.type, placement: found.placement } : null;
}
