import type { ComponentChildren } from 'preact';
import type { StateStyleToken } from '../../../src-shared/enums/entity';
import type { PlacedCollection, Placement } from '../../../src-shared/model/location';
import { EntityIconPaths } from '../../components/entity-icons';
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
  glyph: ComponentChildren;
}

const HATCH_FILL = `url(#${STALE_HATCH_ID})`;

function ItemDrawing({ item, name, token, stale, alerting = false, ids, glyph, placement, unit, selected, label }: DrawProps) {
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
  const disc = unit * ICON_DISC_RADIUS;
  const fontSize = unit * LABEL_FONT_SIZE;
  // A selected item always shows its name, below it: the rotate handle stands above.
  const labelSide = selected ? 'below' : label;
  return (
    <g class={`plan-item plan-icon${kindClass} state-${token}${flags}`} transform={`translate(${placement.x} ${placement.y})`} {...common}>
      <g transform={`rotate(${placement.rotate}) scale(${placement.scale})`}>
        {alerting && <circle class="alert-ring" r={disc * 1.45} />}
        <circle class="icon-disc" r={disc} />
        <g class="icon-glyph" transform={`scale(${unit / 24}) translate(-12 -12)`}>
          {glyph}
        </g>
        {stale && <circle class="stale-hatch" r={disc} fill={HATCH_FILL} />}
      </g>
      {labelSide === null ? (
        <title>{name}</title>
      ) : (
        // Outside the rotation, so that names stay upright.
        <text class="plan-label" y={labelBaseline(labelSide, disc * placement.scale, fontSize)} font-size={fontSize}>
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
  const states = useAppState((s) => s.entityStates.get(entity.id));
  // An area on a security view shows the most pressing state of the sensors inside it.
  const membersToken = useAppState((s) => (members ? worstToken(members.map((id) => primaryToken(s.entityStates.get(id)))) : null));
  const alerting = useAppState((s) => s.alertedEntityIds.has(entity.id));
  return (
    <ItemDrawing
      {...shape}
      item={{ kind: 'entity', id: entity.id }}
      name={entity.name}
      token={membersToken === null ? primaryToken(states) : worstToken([primaryToken(states), membersToken])}
      stale={states?.[0]?.stale ?? false}
      alerting={alerting}
      ids={{ 'data-entity-id': entity.id, 'data-testid': `entity-${entity.id}` }}
      glyph={<EntityIconPaths type={entity.type} />}
    />
  );
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
  return (
    <ItemDrawing
      {...shape}
      item={{ kind: 'collection', id: collection.id }}
      name={collection.name}
      token={token}
      stale={false}
      ids={{ 'data-collection-id': collection.id, 'data-testid': `collection-${collection.id}` }}
      glyph={<CollectionGlyph count={collection.entityIds.length} />}
    />
  );
}
