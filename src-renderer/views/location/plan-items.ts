import { styleTokenFor, type StateStyleToken } from '../../../src-shared/enums/entity';
import type { UnitSystem } from '../../../src-shared/model/home-config';
import type { EntityStateView, Placement, ViewBox } from '../../../src-shared/model/location';
import { oneDecimal } from '../../../src-shared/model/state-display';
import { formatStateValue } from '../../components/format';
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
/** Name and value text size, relative to the view's icon unit. */
export const LABEL_FONT_SIZE = 0.42;
/** At 100 % an icon's disc is never smaller on screen than this, however far the plan is zoomed out: readable at three metres, and more than the 44 px a finger needs. */
export const MIN_ICON_DISC_PX = 48;
/** At 100 % names and values are never smaller on screen than this. */
export const MIN_LABEL_PX = 16;

/** How large things are drawn at the current zoom, in plan units. */
export interface PlanSizing {
  /** An icon's nominal size (its glyph box) at placement scale 1: the view's share, times the display scale. */
  unit: number;
  /** The smallest icon size: MIN_ICON_DISC_PX on screen, times the display scale. */
  minIcon: number;
  /** Names and values: the view's share or MIN_LABEL_PX on screen, whichever is larger, times the display scale. */
  font: number;
}

/** Three significant digits: a zoom that barely changes the sizes changes no number, so labels are not laid out again. */
const roughly = (n: number): number => Number(n.toPrecision(3));

/**
 * The sizes for a view drawn at `unitsPerPx` plan units per screen pixel: a zoomed-in plan grows its icons with it, a
 * zoomed-out one keeps them at their minimum on screen.
 */
export function planSizing(viewBox: ViewBox, unitsPerPx: number, displayScale: number): PlanSizing {
  const unit = viewBox.width * ICON_VIEW_FRACTION * displayScale;
  return {
    unit: roughly(unit),
    minIcon: roughly((MIN_ICON_DISC_PX / (2 * ICON_DISC_RADIUS)) * unitsPerPx * displayScale),
    font: roughly(Math.max(unit * LABEL_FONT_SIZE, MIN_LABEL_PX * unitsPerPx * displayScale)),
  };
}

/**
 * An icon's drawn size (its glyph box; the disc is ICON_DISC_RADIUS of it) at placement scale `scale`: the scale
 * applies on top of the minimum, so that scaling an item up always shows, and scaling down stops at the minimum.
 */
export const iconSize = (sizing: PlanSizing, scale: number): number => Math.max(Math.max(sizing.unit, sizing.minIcon) * scale, sizing.minIcon);

/** A measured value drawn beside an icon. */
export interface ValueBadge {
  /** "21.5°", "48%", "742.5 W"; "–" when the value is unknown or unavailable. */
  text: string;
  /** A battery level: drawn with a battery. */
  battery: boolean;
  /** A battery at or below LOW_BATTERY_PERCENT. */
  low: boolean;
}

/**
 * The state types whose value is drawn on the plan: readings a glance across the room is for. Energy is left out: a
 * running total, long and of no use at a glance.
 */
const BADGE_STATE_TYPES: ReadonlySet<string> = new Set(['temperature', 'humidity', 'power', 'battery', 'illuminance', 'flow_rate']);
export const LOW_BATTERY_PERCENT = 20;
/** Room kept for a value beside an icon when names are laid out: "742.5 W" and most others fit. */
export const BADGE_RESERVED_CHARS = 6;

const badgedKeys = new WeakMap<ReadonlyMap<number, readonly EntityStateView[]>, string>();

/** The ids of the entities that show a value, comma-separated: a string, so that a selector answers equal when the set is. */
export function badgedEntities(entityStates: ReadonlyMap<number, readonly EntityStateView[]>): string {
  let key = badgedKeys.get(entityStates);
  if (key === undefined) {
    const ids: number[] = [];
    for (const [id, states] of entityStates) if (states.some((s) => BADGE_STATE_TYPES.has(s.type))) ids.push(id);
    key = ids.join(',');
    badgedKeys.set(entityStates, key);
  }
  return key;
}
/** Longer units (a made-up one from upstream) are left off the badge; the detail panel has them. */
const MAX_BADGE_UNIT_LENGTH = 5;
const NUMBER_AND_UNIT = /^(-?\d+(?:\.\d+)?)\s*(.*)$/;

/**
 * The badge of an entity: its first state that is a numeric reading, formatted as the detail panel formats it (the
 * home's units, °C↔°F), then shortened to fit beside an icon: one decimal at most, and a bare ° for temperatures.
 * Null when it has no such state, or nothing has been reported for it yet.
 */
export function valueBadge(states: readonly EntityStateView[] | undefined, unitSystem: UnitSystem): ValueBadge | null {
  if (!states) return null;
  // Every shape asks on every store change; its states array is a new one only when one of them changed.
  const cached = badges.get(states);
  if (cached?.unitSystem === unitSystem) return cached.badge;
  const badge = badgeOf(states, unitSystem);
  badges.set(states, { unitSystem, badge });
  return badge;
}

const badges = new WeakMap<readonly EntityStateView[], { unitSystem: UnitSystem; badge: ValueBadge | null }>();

function badgeOf(states: readonly EntityStateView[], unitSystem: UnitSystem): ValueBadge | null {
  const state = states.find((s) => BADGE_STATE_TYPES.has(s.type));
  // Nothing reported yet (a device no integration feeds): no badge rather than a row of dashes.
  if (!state || state.value === null) return null;
  const battery = state.type === 'battery';
  const raw = state.value?.trim() ?? '';
  const number = raw === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(number)) return { text: '–', battery, low: false };
  const match = NUMBER_AND_UNIT.exec(formatStateValue(state.type, raw, state.units, unitSystem));
  if (!match) return { text: '–', battery, low: false };
  const [, digits = '', unit = ''] = match;
  const shortDigits = /\.\d{2,}$/.test(digits) ? oneDecimal(Number(digits)) : digits;
  const shortUnit = unit === '°C' || unit === '°F' ? '°' : unit === '%' ? '%' : unit.length > MAX_BADGE_UNIT_LENGTH ? '' : ` ${unit}`;
  return { text: `${shortDigits}${shortUnit}`.trimEnd(), battery, low: battery && number <= LOW_BATTERY_PERCENT };
}

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
