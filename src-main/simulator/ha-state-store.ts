import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../util/clock';

export type Attributes = Readonly<Record<string, unknown>>;

export interface HaContext {
  readonly id: string;
  readonly parent_id: string | null;
  readonly user_id: string | null;
}

/** One entity's state. Immutable: a change replaces the object, so the previous one can be handed out as old_state. */
export interface EntityState {
  readonly entityId: string;
  readonly state: string;
  readonly attributes: Attributes;
  /** Epoch ms. */
  readonly lastChanged: number;
  readonly lastUpdated: number;
  readonly lastReported: number;
  readonly context: HaContext;
}

/** `oldState` null: the entity was added; `newState` null: it was removed. */
export interface StateChange {
  readonly entityId: string;
  readonly oldState: EntityState | null;
  readonly newState: EntityState | null;
}

export interface SetResult {
  readonly state: EntityState;
  readonly created: boolean;
  readonly changed: boolean;
}

/** The error codes Home Assistant's WebSocket API uses for these failures. */
export type HaErrorCode = 'not_found' | 'invalid_format' | 'service_validation_error';

export class HaError extends Error {
  constructor(
    readonly code: HaErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HaError';
  }
}

export interface ServiceCall {
  readonly domain: string;
  readonly service: string;
  /** service_data; an `entity_id` in it targets entities just like `target.entity_id`. */
  readonly data?: Record<string, unknown>;
  readonly target?: { readonly entity_id?: unknown };
}

/** supported_features bits, as Home Assistant's entity feature enums define them. */
export const FEATURES = {
  light: { TRANSITION: 32 },
  cover: { OPEN: 1, CLOSE: 2, SET_POSITION: 4, STOP: 8 },
  fan: { SET_SPEED: 1, TURN_OFF: 16, TURN_ON: 32 },
  climate: { TARGET_TEMPERATURE: 1, TURN_OFF: 128, TURN_ON: 256 },
  mediaPlayer: { PAUSE: 1, VOLUME_SET: 4, VOLUME_MUTE: 8, TURN_ON: 128, TURN_OFF: 256, STOP: 4096, PLAY: 16384 },
  alarm: { ARM_HOME: 1, ARM_AWAY: 2, ARM_NIGHT: 4, TRIGGER: 8 },
  camera: { STREAM: 2 },
} as const;

const ENTITY_ID = /^(?!_)[a-z0-9_]+(?<!_)\.(?!_)[a-z0-9_]+(?<!_)$/;
const MAX_STATE_LENGTH = 255;
const HVAC_MODES = new Set(['off', 'heat', 'cool', 'heat_cool', 'auto', 'dry', 'fan_only']);
/** Attributes a media player only has while it is on. */
const MEDIA_PLAYER_ON_ATTRIBUTES = ['volume_level', 'is_volume_muted', 'source', 'media_title', 'media_content_type'];
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function isEntityId(value: string): boolean {
  return ENTITY_ID.test(value);
}

/** A context id as Home Assistant makes them: a ULID (48-bit ms time, 80 random bits, Crockford base32). */
function newContextId(nowMs: number): string {
  let time = '';
  for (let i = 0, rest = nowMs; i < 10; i++, rest = Math.floor(rest / 32)) time = CROCKFORD[rest % 32] + time;
  let random = '';
  // 256 is a multiple of 32, so `byte % 32` stays uniform.
  for (const byte of randomBytes(16)) random += CROCKFORD[byte % 32];
  return time + random;
}

export function newContext(nowMs: number, userId: string | null = null): HaContext {
  return { id: newContextId(nowMs), parent_id: null, user_id: userId };
}

/** Home Assistant's ISO form: microseconds and an explicit UTC offset. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000+00:00');
}

/** The full state object of the REST API, `get_states` and state_changed events. */
export function stateAsDict(s: EntityState) {
  return {
    entity_id: s.entityId,
    state: s.state,
    attributes: s.attributes,
    last_changed: isoTime(s.lastChanged),
    last_reported: isoTime(s.lastReported),
    last_updated: isoTime(s.lastUpdated),
    context: s.context,
  };
}

/** `subscribe_entities` add form: lu only when it differs from lc, c a bare id when user and parent are empty. */
export function compressedState(s: EntityState): Record<string, unknown> {
  const { context } = s;
  const compressed: Record<string, unknown> = {
    s: s.state,
    a: s.attributes,
    c: context.parent_id === null && context.user_id === null ? context.id : context,
    lc: s.lastChanged / 1000,
  };
  if (s.lastUpdated !== s.lastChanged) compressed.lu = s.lastUpdated / 1000;
  return compressed;
}

/** `subscribe_entities` change form: `+` holds what is new or different, `-` the attribute keys that went away. */
export function compressedDiff(oldState: EntityState, newState: EntityState): Record<string, unknown> {
  const additions: Record<string, unknown> = {};
  const diff: Record<string, unknown> = { '+': additions };
  if (oldState.state !== newState.state) additions.s = newState.state;
  if (oldState.lastChanged !== newState.lastChanged) additions.lc = newState.lastChanged / 1000;
  else if (oldState.lastUpdated !== newState.lastUpdated) additions.lu = newState.lastUpdated / 1000;

  const oldContext = oldState.context;
  const newContextValue = newState.context;
  const context: Record<string, unknown> = {};
  if (oldContext.parent_id !== newContextValue.parent_id) context.parent_id = newContextValue.parent_id;
  if (oldContext.user_id !== newContextValue.user_id) context.user_id = newContextValue.user_id;
  if (oldContext.id !== newContextValue.id) {
    if (Object.keys(context).length > 0) context.id = newContextValue.id;
    else additions.c = newContextValue.id;
  }
  if (Object.keys(context).length > 0) additions.c = context;

  const changedAttributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(newState.attributes)) {
    if (!(key in oldState.attributes) || !sameValue(oldState.attributes[key], value)) changedAttributes[key] = value;
  }
  if (Object.keys(changedAttributes).length > 0) additions.a = changedAttributes;
  const removed = Object.keys(oldState.attributes).filter((key) => !(key in newState.attributes));
  if (removed.length > 0) diff['-'] = { a: removed };
  return diff;
}

/** Deep equality of JSON values, as Python's `==` compares attribute dicts. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => key in bRecord && sameValue((a as Record<string, unknown>)[key], bRecord[key]));
}

// ---- service behaviour ----

interface Patch {
  state?: string;
  attributes?: Record<string, unknown>;
  remove?: readonly string[];
  /** Where a moving device ends up once it has finished (a cover travelling). */
  settle?: { state: string; attributes?: Record<string, unknown> };
}

/** Per-entity values a device remembers while off (a light's last brightness). */
type Memory = Record<string, unknown>;
type Handler = (entity: EntityState, data: Record<string, unknown>, memory: Memory) => Patch;

const domainOf = (entityId: string): string => entityId.slice(0, entityId.indexOf('.'));

function invalid(key: string, expectation: string, value: unknown): HaError {
  return new HaError('invalid_format', `${expectation} for dictionary value @ data['${key}']. Got ${JSON.stringify(value)}`);
}

function numberIn(data: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const value = data[key];
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw invalid(key, 'expected float', value);
  if (number < min) throw invalid(key, `value must be at least ${min}`, value);
  if (number > max) throw invalid(key, `value must be at most ${max}`, value);
  return number;
}

const numeric = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const features = (entity: EntityState): number => numeric(entity.attributes.supported_features) ?? 0;
const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

function lightModes(entity: EntityState): string[] {
  const modes = entity.attributes.supported_color_modes;
  return Array.isArray(modes) ? modes.filter((m): m is string => typeof m === 'string') : ['onoff'];
}

function lightOff(entity: EntityState, memory: Memory): Patch {
  const modes = lightModes(entity);
  if (entity.state === 'on') {
    memory.brightness = entity.attributes.brightness;
    memory.color_temp_kelvin = entity.attributes.color_temp_kelvin;
  }
  // An off light keeps its colour attributes with null values.
  const attributes: Record<string, unknown> = { color_mode: null };
  if (modes.some((m) => m !== 'onoff')) attributes.brightness = null;
  if (modes.includes('color_temp')) attributes.color_temp_kelvin = null;
  return { state: 'off', attributes };
}

function lightOn(entity: EntityState, data: Record<string, unknown>, memory: Memory): Patch {
  const modes = lightModes(entity);
  const current = (entity.state === 'on' ? numeric(entity.attributes.brightness) : numeric(memory.brightness)) ?? 255;
  const brightness = numberIn(data, 'brightness', 0, 255);
  const pct = numberIn(data, 'brightness_pct', 0, 100);
  const step = numberIn(data, 'brightness_step', -255, 255);
  const stepPct = numberIn(data, 'brightness_step_pct', -100, 100);
  let target = current;
  if (brightness !== undefined) target = Math.round(brightness);
  else if (pct !== undefined) target = Math.round((pct * 255) / 100);
  else if (step !== undefined) target = clamp(Math.round(current + step), 0, 255);
  else if (stepPct !== undefined) target = clamp(Math.round(current + (stepPct * 255) / 100), 0, 255);
  // Home Assistant turns a light off when asked for brightness 0.
  if (target === 0) return lightOff(entity, memory);

  const attributes: Record<string, unknown> = { color_mode: modes[0] ?? 'onoff' };
  if (modes.some((m) => m !== 'onoff')) attributes.brightness = target;
  if (modes.includes('color_temp')) {
    const min = numeric(entity.attributes.min_color_temp_kelvin) ?? 2000;
    const max = numeric(entity.attributes.max_color_temp_kelvin) ?? 6500;
    const requested = numberIn(data, 'color_temp_kelvin', 0, 100_000);
    const kept = (entity.state === 'on' ? numeric(entity.attributes.color_temp_kelvin) : numeric(memory.color_temp_kelvin)) ?? min;
    attributes.color_temp_kelvin = Math.round(clamp(requested ?? kept, min, max));
    attributes.color_mode = 'color_temp';
  }
  return { state: 'on', attributes };
}

function fanOn(entity: EntityState, data: Record<string, unknown>, memory: Memory): Patch {
  const percentage = numberIn(data, 'percentage', 0, 100) ?? numeric(memory.percentage) ?? 100;
  if (percentage === 0) return fanOff(entity, memory);
  return { state: 'on', attributes: { percentage: Math.round(percentage) } };
}

function fanOff(entity: EntityState, memory: Memory): Patch {
  if (entity.state === 'on') memory.percentage = entity.attributes.percentage;
  return { state: 'off', attributes: { percentage: 0 } };
}

function coverPosition(entity: EntityState): number {
  return numeric(entity.attributes.current_position) ?? (entity.state === 'closed' ? 0 : 100);
}

/** Starts a cover moving: opening/closing now, open/closed once it arrives. */
function coverTravel(entity: EntityState, target: number): Patch {
  const hasPosition = (features(entity) & FEATURES.cover.SET_POSITION) !== 0;
  const finalState = target > 0 ? 'open' : 'closed';
  const settle = hasPosition ? { state: finalState, attributes: { current_position: target } } : { state: finalState };
  const from = coverPosition(entity);
  if (from === target && (entity.state === 'open' || entity.state === 'closed')) return settle;
  return { state: target > from ? 'opening' : 'closing', settle };
}

function climateAction(mode: string, current: number | undefined, target: number | undefined): string {
  if (mode === 'off') return 'off';
  if (current === undefined || target === undefined) return 'idle';
  if (mode === 'heat') return current < target ? 'heating' : 'idle';
  if (mode === 'cool') return current > target ? 'cooling' : 'idle';
  return 'idle';
}

function climateMode(entity: EntityState, mode: unknown): string {
  if (typeof mode !== 'string' || !HVAC_MODES.has(mode)) throw invalid('hvac_mode', 'expected HVACMode', mode);
  const allowed = entity.attributes.hvac_modes;
  if (Array.isArray(allowed) && !allowed.includes(mode)) {
    throw new HaError('service_validation_error', `HVAC mode ${mode} is not valid. Valid HVAC modes are: ${allowed.join(', ')}.`);
  }
  return mode;
}

function mediaOn(entity: EntityState, memory: Memory): Record<string, unknown> {
  if (entity.state !== 'off') return {};
  return { volume_level: numeric(memory.volume_level) ?? 0.3, is_volume_muted: false };
}

function mediaOff(entity: EntityState, memory: Memory): Patch {
  if (entity.state !== 'off') memory.volume_level = entity.attributes.volume_level;
  return { state: 'off', remove: MEDIA_PLAYER_ON_ATTRIBUTES };
}

const onOff: Record<string, Handler> = {
  turn_on: () => ({ state: 'on' }),
  turn_off: () => ({ state: 'off' }),
  toggle: (entity) => ({ state: entity.state === 'on' ? 'off' : 'on' }),
};

const arm = (state: string): Handler => () => ({ state });

/** What each service does to one target entity, per domain. */
const SERVICES: Record<string, Record<string, Handler>> = {
  light: {
    turn_on: lightOn,
    turn_off: (entity, _data, memory) => lightOff(entity, memory),
    toggle: (entity, data, memory) => (entity.state === 'on' ? lightOff(entity, memory) : lightOn(entity, data, memory)),
  },
  switch: onOff,
  input_boolean: onOff,
  fan: {
    turn_on: fanOn,
    turn_off: (entity, _data, memory) => fanOff(entity, memory),
    toggle: (entity, data, memory) => (entity.state === 'on' ? fanOff(entity, memory) : fanOn(entity, data, memory)),
    set_percentage: (entity, data, memory) => {
      if (data.percentage === undefined) throw invalid('percentage', 'required key not provided', undefined);
      return fanOn(entity, data, memory);
    },
  },
  cover: {
    open_cover: (entity) => coverTravel(entity, 100),
    close_cover: (entity) => coverTravel(entity, 0),
    set_cover_position: (entity, data) => {
      if ((features(entity) & FEATURES.cover.SET_POSITION) === 0) {
        throw new HaError('service_validation_error', `Entity ${entity.entityId} does not support action cover.set_cover_position`);
      }
      const position = numberIn(data, 'position', 0, 100);
      if (position === undefined) throw invalid('position', 'required key not provided', undefined);
      return coverTravel(entity, Math.round(position));
    },
    stop_cover: (entity) => ({ state: coverPosition(entity) > 0 ? 'open' : 'closed' }),
  },
  lock: {
    lock: () => ({ state: 'locked' }),
    unlock: () => ({ state: 'unlocked' }),
  },
  climate: {
    set_temperature: (entity, data) => {
      const min = numeric(entity.attributes.min_temp) ?? 7;
      const max = numeric(entity.attributes.max_temp) ?? 35;
      const temperature = numberIn(data, 'temperature', -1000, 1000);
      if (temperature === undefined) throw invalid('temperature', 'required key not provided', undefined);
      if (temperature < min || temperature > max) {
        throw new HaError('service_validation_error', `Provided temperature ${temperature} is not valid. Accepted range is ${min} to ${max}.`);
      }
      const mode = data.hvac_mode === undefined ? entity.state : climateMode(entity, data.hvac_mode);
      const current = numeric(entity.attributes.current_temperature);
      return { state: mode, attributes: { temperature, hvac_action: climateAction(mode, current, temperature) } };
    },
    set_hvac_mode: (entity, data) => {
      const mode = climateMode(entity, data.hvac_mode);
      const action = climateAction(mode, numeric(entity.attributes.current_temperature), numeric(entity.attributes.temperature));
      return { state: mode, attributes: { hvac_action: action } };
    },
  },
  media_player: {
    turn_on: (entity, _data, memory) => ({ state: entity.state === 'off' ? 'on' : entity.state, attributes: mediaOn(entity, memory) }),
    turn_off: (entity, _data, memory) => mediaOff(entity, memory),
    toggle: (entity, _data, memory) => (entity.state === 'off' ? { state: 'on', attributes: mediaOn(entity, memory) } : mediaOff(entity, memory)),
    media_play: (entity, _data, memory) => ({ state: 'playing', attributes: mediaOn(entity, memory) }),
    media_pause: (entity, _data, memory) => ({ state: 'paused', attributes: mediaOn(entity, memory) }),
    media_play_pause: (entity, _data, memory) => ({ state: entity.state === 'playing' ? 'paused' : 'playing', attributes: mediaOn(entity, memory) }),
    media_stop: (entity, _data, memory) => ({ state: 'idle', attributes: mediaOn(entity, memory) }),
    volume_set: (entity, data, memory) => {
      const volume = numberIn(data, 'volume_level', 0, 1);
      if (volume === undefined) throw invalid('volume_level', 'required key not provided', undefined);
      return { attributes: { ...mediaOn(entity, memory), volume_level: volume } };
    },
  },
  alarm_control_panel: {
    alarm_arm_away: arm('armed_away'),
    alarm_arm_home: arm('armed_home'),
    alarm_arm_night: arm('armed_night'),
    alarm_disarm: arm('disarmed'),
  },
};

/** What a person at the device does to flip it; the control page uses it. */
const PHYSICAL_TOGGLES: Record<string, (entity: EntityState) => string> = {
  light: () => 'toggle',
  switch: () => 'toggle',
  input_boolean: () => 'toggle',
  fan: () => 'toggle',
  media_player: () => 'toggle',
  cover: (entity) => (entity.state === 'closed' || entity.state === 'closing' ? 'open_cover' : 'close_cover'),
  lock: (entity) => (entity.state === 'locked' ? 'unlock' : 'lock'),
  alarm_control_panel: (entity) => (entity.state === 'disarmed' ? 'alarm_arm_away' : 'alarm_disarm'),
};

function targetIds(call: ServiceCall): string[] | 'all' {
  const ids: string[] = [];
  for (const value of [call.target?.entity_id, call.data?.entity_id]) {
    if (value === undefined || value === null) continue;
    const list = typeof value === 'string' ? value.split(',').map((id) => id.trim()) : value;
    if (!Array.isArray(list) || !list.every((id): id is string => typeof id === 'string')) {
      throw invalid('entity_id', 'Entity IDs must be a string or a list of strings', value);
    }
    if (list.includes('all')) return 'all';
    for (const id of list) {
      if (!isEntityId(id)) throw invalid('entity_id', 'Entity ID is an invalid entity ID', id);
      if (!ids.includes(id)) ids.push(id);
    }
  }
  return ids;
}

export interface HaStateStoreOptions {
  clock?: Clock;
  /** How long a cover takes to open or close; 0 moves it instantly. */
  coverTravelMs?: number;
}

/** Home Assistant's state machine and the service behaviour of the simulated devices, in memory. */
export class HaStateStore {
  private readonly states = new Map<string, EntityState>();
  private readonly listeners = new Set<(change: StateChange) => void>();
  private readonly memories = new Map<string, Memory>();
  private readonly travels = new Map<string, NodeJS.Timeout>();
  private readonly clock: Clock;
  private readonly coverTravelMs: number;

  constructor(options: HaStateStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.coverTravelMs = options.coverTravelMs ?? 0;
  }

  get size(): number {
    return this.states.size;
  }

  all(): EntityState[] {
    return [...this.states.values()];
  }

  get(entityId: string): EntityState | undefined {
    return this.states.get(entityId);
  }

  /** Domains and their services, as `get_services` lists them. */
  services(): Record<string, string[]> {
    return Object.fromEntries(Object.entries(SERVICES).map(([domain, services]) => [domain, Object.keys(services)]));
  }

  /**
   * Writes a state like `hass.states.async_set`: last_changed moves only when the state string changes, and a write
   * that changes nothing fires no event (it only moves last_reported). `attributes` undefined keeps the current ones.
   */
  set(entityId: string, state: string, attributes?: Attributes, context?: HaContext): SetResult {
    if (!isEntityId(entityId)) throw new HaError('invalid_format', `Invalid entity ID: ${entityId}`);
    if (state.length > MAX_STATE_LENGTH) throw new HaError('invalid_format', `Invalid state with length ${state.length}. State max length is ${MAX_STATE_LENGTH} characters.`);
    const now = this.clock.now();
    const old = this.states.get(entityId) ?? null;
    const nextAttributes = attributes ?? old?.attributes ?? {};
    if (old && old.state === state && sameValue(old.attributes, nextAttributes)) {
      const reported = { ...old, lastReported: now };
      this.states.set(entityId, reported);
      return { state: reported, created: false, changed: false };
    }
    const next: EntityState = {
      entityId,
      state,
      attributes: nextAttributes,
      lastChanged: old && old.state === state ? old.lastChanged : now,
      lastUpdated: now,
      lastReported: now,
      context: context ?? newContext(now),
    };
    this.states.set(entityId, next);
    this.emit({ entityId, oldState: old, newState: next });
    return { state: next, created: old === null, changed: true };
  }

  remove(entityId: string): boolean {
    const old = this.states.get(entityId);
    if (!old) return false;
    this.states.delete(entityId);
    this.memories.delete(entityId);
    this.cancelTravel(entityId);
    this.emit({ entityId, oldState: old, newState: null });
    return true;
  }

  onChange(listener: (change: StateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs a service on its target entities; returns the states it changed. Throws `HaError` like Home Assistant would. */
  callService(call: ServiceCall, context: HaContext): EntityState[] {
    const handler = SERVICES[call.domain]?.[call.service];
    if (!handler) throw new HaError('not_found', `Service ${call.domain}.${call.service} not found.`);
    const ids = targetIds(call);
    const entities = ids === 'all' ? this.all().filter((e) => domainOf(e.entityId) === call.domain) : ids.map((id) => this.states.get(id));
    const missing = ids === 'all' ? [] : ids.filter((id, i) => entities[i] === undefined || domainOf(id) !== call.domain);
    if (missing.length > 0) {
      throw new HaError('not_found', `Referenced entities ${missing.join(', ')} are missing or not currently available`);
    }
    const { entity_id: _targets, ...data } = call.data ?? {};
    // Plan every target before changing any (on copies of their memory), so a failed call leaves nothing half done.
    // Home Assistant skips unavailable entities without an error.
    const planned = entities
      .filter((entity): entity is EntityState => entity !== undefined && entity.state !== 'unavailable')
      .map((entity) => {
        const memory = { ...this.memories.get(entity.entityId) };
        return { entity, memory, patch: handler(entity, data, memory) };
      });
    const changed: EntityState[] = [];
    for (const { entity, memory, patch } of planned) {
      this.memories.set(entity.entityId, memory);
      const result = this.applyPatch(entity, patch, context);
      if (result.changed) changed.push(result.state);
    }
    return changed;
  }

  /** The control page's toggle: what someone at the device would do. Returns false for read-only entities. */
  toggleFromDevice(entityId: string): boolean {
    const entity = this.states.get(entityId);
    if (!entity) return false;
    const domain = domainOf(entityId);
    const context = newContext(this.clock.now());
    if (domain === 'binary_sensor') {
      this.set(entityId, entity.state === 'on' ? 'off' : 'on', undefined, context);
      return true;
    }
    const service = PHYSICAL_TOGGLES[domain]?.(entity);
    if (!service) return false;
    this.callService({ domain, service, target: { entity_id: entityId } }, context);
    return true;
  }

  canToggleFromDevice(entityId: string): boolean {
    const domain = domainOf(entityId);
    return domain === 'binary_sensor' || domain in PHYSICAL_TOGGLES;
  }

  /** Cancels covers still travelling. */
  dispose(): void {
    for (const timer of this.travels.values()) clearTimeout(timer);
    this.travels.clear();
  }

  private applyPatch(entity: EntityState, patch: Patch, context: HaContext): SetResult {
    this.cancelTravel(entity.entityId);
    const { settle } = patch;
    // Without travel time a cover arrives at once, with no opening/closing state in between.
    const now = settle && this.coverTravelMs <= 0 ? { ...patch, ...settle, attributes: { ...patch.attributes, ...settle.attributes } } : patch;
    const attributes: Record<string, unknown> = { ...entity.attributes, ...now.attributes };
    for (const key of now.remove ?? []) delete attributes[key];
    const result = this.set(entity.entityId, now.state ?? entity.state, attributes, context);
    if (settle && this.coverTravelMs > 0) {
      const timer = setTimeout(() => {
        this.travels.delete(entity.entityId);
        const current = this.states.get(entity.entityId);
        if (current) this.set(entity.entityId, settle.state, { ...current.attributes, ...settle.attributes }, context);
      }, this.coverTravelMs);
      timer.unref();
      this.travels.set(entity.entityId, timer);
    }
    return result;
  }

  private cancelTravel(entityId: string): void {
    const timer = this.travels.get(entityId);
    if (timer) clearTimeout(timer);
    this.travels.delete(entityId);
  }

  private emit(change: StateChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
