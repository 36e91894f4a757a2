import type { StateStyleToken } from '../../../src-shared/enums/entity';
import type { UnitSystem } from '../../../src-shared/model/home-config';
import type { EntityStateView, PlacedCollection, Placement } from '../../../src-shared/model/location';
import { glyphType, PLAN_MARK_IDS } from '../../components/entity-icons';
import { formatStateValue } from '../../components/format';
import { useAppState } from '../../store';
import type { PlanEntity } from '../../store/home-slice';
import { badgeGeometry, labelBaseline, type IconPlacement, type LabelSide } from './label-layout';
import { ICON_DISC_RADIUS, iconSize, itemKey, primaryToken, valueBadge, worstToken, type ItemRef, type PlanSizing, type ValueBadge } from './plan-items';
import { parsePolyline } from './plan-path';

interface ShapeProps {
  /** The placement to draw: the item's own, or an optimistic one while it is being edited. */
  placement: Placement;
  /** How large icons and text are at the current zoom and display scale. */
  sizing: PlanSizing;
  /** Degrees the plan is turned to fill its area (PlanCanvas): the item turns back by as much, so that it looks as it would unturned. */
  turn?: number;
  selected: boolean;
  /** Where its name goes; null when it would cover another name, an icon or a room name wherever it went (it then shows only when selected, and as a tooltip). */
  label: LabelSide | null;
  /** On a security view, what is merely off recedes: its name and value fade with its icon. */
  security?: boolean;
}

interface DrawProps extends ShapeProps {
  item: ItemRef;
  name: string;
  token: StateStyleToken;
  /** Its state is a last known value: the integration cannot be reached. */
  stale: boolean;
  /** An open alert is about it. */
  alerting?: boolean;
  /** data-entity-id or data-collection-id, data-testid. */
  ids: Record<string, string | number>;
  /** What the plan's canvas draws on its disc: an entity type's glyph, or "collection". */
  glyph: string;
  /** A measured value, drawn beside the icon. */
  badge?: ValueBadge | null;
  /** Its state in words, for its accessible name: "on", "21.5 °C". */
  stateText?: string;
}

/** What a screen reader says for an item: "Kitchen light, On"; "Front door, Open, last known value" when stale. */
function accessibleName(name: string, stateText: string, stale: boolean, alerting: boolean): string {
  return [name, stateText, stale ? 'last known value' : '', alerting ? 'alert' : ''].filter((part) => part !== '').join(', ');
}

/** The stale mark of an area or line: at the middle of its outline's bounds, when it is made of straight segments. */
function pathStaleMark(svgPath: string, sizing: PlanSizing, turn: number) {
  const outline = parsePolyline(svgPath);
  if (!outline) return null;
  const xs = outline.points.map((p) => p.x);
  const ys = outline.points.map((p) => p.y);
  const size = sizing.minIcon * 0.6;
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const transform = turn === 0 ? undefined : `rotate(${-turn} ${cx} ${cy})`;
  return <use class="stale-mark" href={`#${PLAN_MARK_IDS.stale}`} x={cx - size / 2} y={cy - size / 2} width={size} height={size} transform={transform} />;
}

/** What is merely off: on a security view its name and value fade with its icon. */
function recedesOnSecurityView(token: StateStyleToken): boolean {
  return token === 'inactive' || token === 'neutral';
}

function iconTransform(placement: IconPlacement, turn: number): string {
  return `translate(${placement.x} ${placement.y})${turn === 0 ? '' : ` rotate(${-turn})`}`;
}

/** A tap on an item's value opens the item, although the value is drawn on the layer above the icons. */
function badgeHit(badge: ValueBadge, disc: number, font: number) {
  const g = badgeGeometry(disc, font, badge.text.length, badge.battery);
  return <rect class="badge-hit" x={g.x} y={g.y} width={g.width} height={g.height} rx={g.height / 2} />;
}

/** A value beside the icon: a pill, the value, and a battery before a battery level. No layout is measured: the pill is sized from the text's length. */
function drawBadge(badge: ValueBadge, disc: number, font: number) {
  const g = badgeGeometry(disc, font, badge.text.length, badge.battery);
  return (
    <>
      <rect class={badge.low ? 'value-badge low' : 'value-badge'} x={g.x} y={g.y} width={g.width} height={g.height} rx={g.height / 2} />
      {badge.battery && <use class="value-badge-icon" href={`#${PLAN_MARK_IDS.battery}`} x={g.x + font * 0.3} y={-font * 0.55} width={font * 1.1} height={font * 1.1} />}
      <text class="value-badge-text" data-testid="plan-value" x={g.textX} y={font * 0.36} font-size={font}>
        {badge.text}
      </text>
    </>
  );
}

/**
 * An item's elements; a plain function rather than a component, which would double the components on a plan. An
 * icon's disc and glyph are painted on the plan's canvas (plan-icon-painter.ts): here it is a group with an invisible
 * hit target the disc's size, its name or tooltip, and its value. Its state is an attribute and not a class, so that
 * a status change restyles nothing in the SVG and repaints only the canvas.
 */
function drawItem({ item, name, token, stale, alerting = false, ids, glyph, badge = null, stateText = '', placement, sizing, turn = 0, selected, label, security = false }: DrawProps) {
  const common = {
    ...ids,
    // Reachable with Tab; Enter or Space opens it as a tap does (PlanCanvas).
    tabindex: 0,
    role: 'button' as const,
    'aria-label': accessibleName(name, stateText, stale, alerting),
    'data-item': itemKey(item),
    'data-state': token,
    'data-stale': stale ? 'true' : undefined,
    'data-selected': selected ? 'true' : undefined,
    'data-alerting': alerting ? 'true' : undefined,
  };
  const kindClass = item.kind === 'collection' ? ' plan-collection' : '';
  const recedes = security && recedesOnSecurityView(token);
  const flags = `${stale ? ' stale' : ''}${selected ? ' selected' : ''}${alerting ? ' alerting' : ''}${recedes ? ' recedes' : ''}`;
  if (placement.kind === 'path') {
    const shape = placement.style === 'line' ? 'line' : 'area';
    const cls = `plan-item ${item.kind}-${shape}${kindClass} state-${token}${flags}`;
    return (
      <>
        {/* A thin line is hard to hit with a finger: a wide transparent stroke beneath takes the taps. */}
        {shape === 'line' && <path class="plan-hit" d={placement.svgPath} data-item={itemKey(item)} />}
        <path class={cls} d={placement.svgPath} {...common}>
          <title>{name}</title>
        </path>
        {stale && pathStaleMark(placement.svgPath, sizing, turn)}
      </>
    );
  }
  const disc = iconSize(sizing, placement.scale) * ICON_DISC_RADIUS;
  const fontSize = sizing.font;
  // A selected item always shows its name, below it: the rotate handle stands above.
  const labelSide = selected ? 'below' : label;
  return (
    <g class={`plan-item plan-icon${kindClass}${flags}`} transform={iconTransform(placement, turn)} data-glyph={glyph} {...common}>
      <circle class="icon-hit" r={disc} />
      {badge && badgeHit(badge, disc, fontSize)}
      {labelSide === null ? (
        <title>{name}</title>
      ) : (
        <text class="plan-label" y={labelBaseline(labelSide, disc, fontSize)} font-size={fontSize}>
          {name}
        </text>
      )}
    </g>
  );
}

/** The most pressing state among an area's member sensors, as one string so that an unchanged answer compares equal. */
export function membersToken(entityStates: ReadonlyMap<number, readonly EntityStateView[]>, members: readonly number[]): StateStyleToken {
  return worstToken(members.map((id) => primaryToken(entityStates.get(id))));
}

/** How an entity looks on the plan: its colour, whether its value is a last known one, and its glyph. */
export function entityLook(
  entity: PlanEntity,
  states: readonly EntityStateView[] | undefined,
  membersWorst: StateStyleToken | null,
): { token: StateStyleToken; stale: boolean; glyph: string } {
  const own = primaryToken(states);
  const primary = states?.[0];
  return {
    token: membersWorst === null ? own : worstToken([own, membersWorst]),
    stale: primary?.stale ?? false,
    glyph: glyphType(entity.type, primary?.type),
  };
}

/**
 * One entity on the plan. It reads its own states from the store, so a status change redraws only the shapes it
 * touches and the canvas does not re-render. Its subscriptions answer references and flags that compare equal while
 * nothing of it changed (a status batch runs every shape's selectors, so they must be trivial); what it shows is
 * worked out from them only when it renders. Deliberately not memoised: with preact/compat memo, skipped shapes kept
 * old vnode trees reachable and the renderer heap grew ~130 MB a minute under live load (see BENCHMARKS.md).
 */
export function EntityShape({
  entity,
  members,
  unitSystem,
  ...shape
}: ShapeProps & { entity: PlanEntity; members?: readonly number[] | undefined; unitSystem: UnitSystem }) {
  const states = useAppState((s) => s.entityStates.get(entity.id));
  const alerting = useAppState((s) => s.alertedEntityIds.has(entity.id));
  // An area on a security view shows the most pressing state of the sensors inside it.
  const membersWorst = useAppState((s) => (members ? membersToken(s.entityStates, members) : null));
  const look = entityLook(entity, states, membersWorst);
  const primary = states?.[0];
  return drawItem({
    ...shape,
    item: { kind: 'entity', id: entity.id },
    name: entity.name,
    ...look,
    alerting,
    ids: { 'data-entity-id': entity.id, 'data-testid': `entity-${entity.id}` },
    badge: valueBadge(states, unitSystem),
    stateText: primary ? formatStateValue(primary.type, primary.value, primary.units, unitSystem) : '',
  });
}

/**
 * An entity's value, on the plan's top layer (PlanCanvas): drawn with the item, it would sit under the canvas's icons,
 * and a neighbour's disc could cover it. It reads its own states, as EntityShape does, and is drawn where that is.
 */
export function EntityValue({ entityId, placement, sizing, turn = 0, security = false, unitSystem }: { entityId: number; placement: IconPlacement; sizing: PlanSizing; turn?: number; security?: boolean; unitSystem: UnitSystem }) {
  const states = useAppState((s) => s.entityStates.get(entityId));
  const badge = valueBadge(states, unitSystem);
  if (!badge) return null;
  const disc = iconSize(sizing, placement.scale) * ICON_DISC_RADIUS;
  const recedes = security && recedesOnSecurityView(primaryToken(states));
  const stale = states?.[0]?.stale ?? false;
  return (
    <g class={`plan-value-badge${stale ? ' stale' : ''}${recedes ? ' recedes' : ''}`} data-value-of={entityId} transform={iconTransform(placement, turn)}>
      {drawBadge(badge, disc, sizing.font)}
    </g>
  );
}

/** The most pressing state among a collection's members on this view. */
export function collectionToken(entityStates: ReadonlyMap<number, readonly EntityStateView[]>, collection: PlacedCollection): StateStyleToken {
  return worstToken(collection.entityIds.flatMap((id) => {
    const states = entityStates.get(id);
    return states ? [primaryToken(states)] : [];
  }));
}

/** A collection on the plan, coloured by the most pressing state among its members on this view. */
export function CollectionShape({ collection, ...shape }: ShapeProps & { collection: PlacedCollection }) {
  const token = useAppState((s) => collectionToken(s.entityStates, collection));
  return drawItem({
    ...shape,
    item: { kind: 'collection', id: collection.id },
    name: collection.name,
    token,
    stale: false,
    stateText: `collection of ${collection.entityIds.length}`,
    ids: { 'data-collection-id': collection.id, 'data-testid': `collection-${collection.id}` },
    glyph: 'collection',
  });
}
