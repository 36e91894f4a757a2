import type { ComponentChildren } from 'preact';
import type { StateStyleToken } from '../../../src-shared/enums/entity';
import type { PlacedCollection, Placement } from '../../../src-shared/model/location';
import { entityGlyphId } from '../../components/entity-icons';
import { useAppState } from '../../store';
import type { PlanEntity } from '../../store/home-slice';
import { LABEL_FONT_SIZE, labelBaseline, type LabelSide } from './label-layout';
import { ICON_DISC_RADIUS, itemKey, primaryToken, STALE_HATCH_ID, worstToken, type ItemRef } from './plan-items';

interface ShapeProps {
  /** The placement to draw: the item's own, or an optimistic one while it is being edited. */
  placement: Placement;
  /** The nominal icon size in plan units, fixed per view. */
  unit: number;
  selected: boolean;
  /** Where its name goes; null when it would cover another name or icon wherever it went (it then shows only when selected, and as a tooltip). */
  label: LabelSide | null;
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
  /** The glyph: the id of a `<symbol>` in the plan's defs, or drawn in place in a 24×24 box. */
  glyph: { symbolId: string } | { drawn: ComponentChildren };
}

const HATCH_FILL = `url(#${STALE_HATCH_ID})`;

/** An item's elements; a plain function rather than a component, which would double the components on a plan. */
function drawItem({ item, name, token, stale, alerting = false, ids, glyph, placement, unit, selected, label }: DrawProps) {
  const common = {
    ...ids,
    'data-item': itemKey(item),
    'data-state': token,
    'data-stale': stale ? 'true' : undefined,
    'data-selected': selected ? 'true' : undefined,
    'data-alerting': alerting ? 'true' : undefined,
  };
  const kindClass = item.kind === 'collection' ? ' plan-collection' : '';
  const flags = `${stale ? ' stale' : ''}${selected ? ' selected' : ''}${alerting ? ' alerting' : ''}`;
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
        {stale && shape === 'area' && <path class="stale-hatch" d={placement.svgPath} fill={HATCH_FILL} />}
      </>
    );
  }
  // Flat on purpose (few elements per icon is most of a fast first paint): discs need no rotation, and the glyph
  // carries its own.
  const size = unit * placement.scale;
  const disc = size * ICON_DISC_RADIUS;
  const fontSize = unit * LABEL_FONT_SIZE;
  const glyphTransform = placement.rotate === 0 ? undefined : `rotate(${placement.rotate})`;
  // A selected item always shows its name, below it: the rotate handle stands above.
  const labelSide = selected ? 'below' : label;
  return (
    <g class={`plan-item plan-icon${kindClass} state-${token}${flags}`} transform={`translate(${placement.x} ${placement.y})`} {...common}>
      {alerting && <circle class="alert-ring" r={disc * 1.45} />}
      <circle class="icon-disc" r={disc} />
      {'symbolId' in glyph ? (
        <use class="icon-glyph" href={`#${glyph.symbolId}`} x={-size / 2} y={-size / 2} width={size} height={size} transform={glyphTransform} />
      ) : (
        <g class="icon-glyph" transform={`${glyphTransform ?? ''} scale(${size / 24}) translate(-12 -12)`}>
          {glyph.drawn}
        </g>
      )}
      {stale && <circle class="stale-hatch" r={disc} fill={HATCH_FILL} />}
      {labelSide === null ? (
        <title>{name}</title>
      ) : (
        // Outside the rotation, so that names stay upright.
        <text class="plan-label" y={labelBaseline(labelSide, disc, fontSize)} font-size={fontSize}>
          {name}
        </text>
      )}
    </g>
  );
}

/**
 * One entity on the plan. It reads its own states from the store, so a status change redraws only the shapes it
 * touches and the canvas does not re-render. Deliberately not memoised: with preact/compat memo, skipped shapes kept
 * old vnode trees reachable and the renderer heap grew ~130 MB a minute under live load (see BENCHMARKS.md).
 */
export function EntityShape({ entity, members, ...shape }: ShapeProps & { entity: PlanEntity; members?: readonly number[] | undefined }) {
  // One subscription per shape (a thousand shapes subscribe), answering a string so that equal looks compare equal.
  const look = useAppState((s) => {
    const states = s.entityStates.get(entity.id);
    const own = primaryToken(states);
    // An area on a security view shows the most pressing state of the sensors inside it.
    const token = members ? worstToken([own, ...members.map((id) => primaryToken(s.entityStates.get(id)))]) : own;
    return `${token} ${states?.[0]?.stale ? 'stale' : 'live'} ${s.alertedEntityIds.has(entity.id) ? 'alerting' : 'calm'}`;
  });
  const [token, staleness, alerting] = look.split(' ') as [StateStyleToken, string, string];
  return drawItem({
    ...shape,
    item: { kind: 'entity', id: entity.id },
    name: entity.name,
    token,
    stale: staleness === 'stale',
    alerting: alerting === 'alerting',
    ids: { 'data-entity-id': entity.id, 'data-testid': `entity-${entity.id}` },
    glyph: { symbolId: entityGlyphId(entity.type) },
  });
}

/** A stack of cards: what a collection looks like on the plan. */
function CollectionGlyph({ count }: { count: number }) {
  return (
    <>
      <g fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round">
        <rect x="3" y="8" width="13" height="13" rx="2" />
        <path d="M6.5 5.5V4.5a1.5 1.5 0 0 1 1.5-1.5h10a1.5 1.5 0 0 1 1.5 1.5v10a1.5 1.5 0 0 1-1.5 1.5h-1" />
      </g>
      <g class="collection-badge" transform="translate(20 4)">
        <circle r="5.5" />
        <text y="2.3" font-size="7">
          {count}
        </text>
      </g>
    </>
  );
}

/** A collection on the plan, coloured by the most pressing state among its members on this view. */
export function CollectionShape({ collection, ...shape }: ShapeProps & { collection: PlacedCollection }) {
  const token = useAppState((s) =>
    worstToken(collection.entityIds.flatMap((id) => {
      const states = s.entityStates.get(id);
      return states ? [primaryToken(states)] : [];
    })),
  );
  return drawItem({
    ...shape,
    item: { kind: 'collection', id: collection.id },
    name: collection.name,
    token,
    stale: false,
    ids: { 'data-collection-id': collection.id, 'data-testid': `collection-${collection.id}` },
    glyph: { drawn: <CollectionGlyph count={collection.entityIds.length} /> },
  });
}
