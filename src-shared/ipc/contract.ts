import { z } from 'zod';
import { enumSchema } from '../enums/enum-schema';
import {
  settingHistoryEntrySchema,
  settingSectionSchema,
  settingValueSchema,
  settingViewSchema,
} from '../model/settings';
import {
  integrationHealthViewSchema,
  integrationViewSchema,
  stateDeltaSchema,
  syncReportSchema,
  upstreamSummarySchema,
} from '../model/integration';
import { SecurityState } from '../enums/security';
import { alertViewSchema, MAX_LIVE_ALERTS } from '../model/alert';
import { alertSoundStatusSchema } from '../model/alert-sound';
import { eventDefinitionInputSchema, eventDefinitionViewSchema, eventFiringSchema, ruleStateOptionSchema } from '../model/event';
import { securityStatusSchema } from '../model/security';
import { upstreamHomeConfigSchema } from '../model/home-config';
import { consoleChangedSchema, consoleStatusSchema, entityViewRefSchema, newPinSchema, pinAttemptSchema } from '../model/console';
import {
  monitorStatusSchema,
  PAIRED_PANEL_NAME_MAX,
  pairedPanelSchema,
  pairingChangedSchema,
  pairingInfoSchema,
  panelInfoSchema,
  runtimeConfigEntrySchema,
} from '../model/system';
import {
  AttributeValueType,
  CollectionType,
  CollectionViewType,
  EntityType,
  LocationViewType,
  ViewStyle,
} from '../enums/entity';
import { attributeHistoryEntrySchema, attributeOwnerSchema, attributeViewSchema, UPLOAD_CHUNK_BYTES } from '../model/attribute';
import { archivedEntitySchema, editStateSchema, entityDetailSchema, homeSnapshotSchema, starterProfileSchema } from '../model/home';
import { MAX_PLACE_MANY, placeManyResultSchema, planPointSchema } from '../model/placement';
import { historySeriesArgSchema, historySeriesSchema } from '../model/history';
import { cameraSummarySchema } from '../mjpeg/camera-model';
import { videoBrowseArgSchema, videoBrowseSchema } from '../model/video';
import {
  collectionSummarySchema,
  entityStateViewSchema,
  locationSummarySchema,
  locationViewDataSchema,
  locationViewSummarySchema,
  placedCollectionSchema,
  placedEntitySchema,
  placementSchema,
  viewBoxSchema,
} from '../model/location';
import { NAME_MAX_LENGTH } from '../model/names';

/** More than any home holds; the members picker filters them in the panel. */
export const MAX_COLLECTION_CANDIDATES = 20_000;

interface RequestSpec {
  arg: z.ZodType;
  result: z.ZodType;
  /** Polled often; its logging is muted by HI_SUPPRESS_SELECT_REQUEST_ENDPOINTS_LOGGING. */
  highFrequency?: boolean;
}

const noArg = z.object({}).strict();
const id = z.number().int().positive();
const name = z.string().trim().min(1, 'A name is required.').max(NAME_MAX_LENGTH, `A name can be at most ${NAME_MAX_LENGTH} characters.`);
const done = z.object({ ok: z.literal(true) });
const ids = z.array(id).max(10_000);
const settingRef = z.object({ subsystem: z.string().min(1), key: z.string().min(1) }).strict();

export const snapshotSchema = z.object({
  serverTime: z.number(),
  version: z.string(),
  panel: panelInfoSchema,
  settings: z.array(settingSectionSchema),
  monitors: z.array(monitorStatusSchema),
  home: homeSnapshotSchema,
  integrations: z.array(integrationHealthViewSchema),
  security: securityStatusSchema,
  alerts: z.array(alertViewSchema).max(MAX_LIVE_ALERTS),
  alertSound: alertSoundStatusSchema,
  console: consoleStatusSchema,
  /** The view asked for with the snapshot, so that the first paint needs no second round trip; null when none was. */
  view: locationViewDataSchema.nullable(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

/** Every request the renderer can make: the one source of truth for channel names and their shapes. */
export const requests = {
  'hub.snapshot': {
    // A view id, or 'default' for the view a panel opens on (the first view of the first location that has one).
    arg: z.object({ view: z.union([id, z.literal('default')]).optional() }).strict(),
    result: snapshotSchema,
    highFrequency: true,
  },
  'settings.sections.get': { arg: noArg, result: z.array(settingSectionSchema) },
  'settings.update': { arg: settingRef.extend({ value: settingValueSchema }).strict(), result: settingViewSchema },
  'settings.history.get': { arg: settingRef, result: z.array(settingHistoryEntrySchema) },
  'settings.history.restore': { arg: z.object({ historyId: z.number().int().positive() }).strict(), result: settingViewSchema },
  'settings.defaults.restore': { arg: z.object({ subsystem: z.string().min(1) }).strict(), result: settingSectionSchema },
  'system.monitors.get': { arg: noArg, result: z.array(monitorStatusSchema), highFrequency: true },
  'system.runtimeConfig.get': { arg: noArg, result: z.array(runtimeConfigEntrySchema) },
  'system.pairing.get': { arg: noArg, result: pairingInfoSchema },
  'system.pairing.regenerate': { arg: noArg, result: pairingInfoSchema },
  'system.panels.list': { arg: noArg, result: z.array(pairedPanelSchema) },
  'system.panels.rename': { arg: z.object({ id, name: z.string().trim().max(PAIRED_PANEL_NAME_MAX) }).strict(), result: pairedPanelSchema },
  'system.panels.revoke': { arg: z.object({ id }).strict(), result: done },

  'security.status.get': { arg: noArg, result: securityStatusSchema },
  'security.set': { arg: z.object({ state: enumSchema(SecurityState) }).strict(), result: securityStatusSchema },
  'security.snooze': { arg: noArg, result: securityStatusSchema },

  'console.status.get': { arg: noArg, result: consoleStatusSchema },
  /** The time zone and units of each connected integration that reports them (Home Assistant's get_config). */
  'console.upstream_home.get': { arg: noArg, result: z.array(upstreamHomeConfigSchema) },
  'console.lock': { arg: noArg, result: consoleStatusSchema },
  'console.unlock': { arg: z.object({ pin: pinAttemptSchema }).strict(), result: consoleStatusSchema },
  /** Sets, changes (with the current PIN) or clears (newPin null) the lock PIN; only on the hub itself. */
  'console.pin.set': { arg: z.object({ currentPin: pinAttemptSchema.optional(), newPin: newPinSchema.nullable() }).strict(), result: consoleStatusSchema },
  /** The location views whose plans show these entities, in location and view order. */
  'console.views.showing': { arg: z.object({ entityIds: z.array(id).min(1).max(100) }).strict(), result: z.array(entityViewRefSchema) },

  'alert.list': { arg: noArg, result: z.array(alertViewSchema) },
  'alert.recent.list': { arg: noArg, result: z.array(alertViewSchema) },
  'alert.acknowledge': { arg: z.object({ alertId: id }).strict(), result: alertViewSchema },
  'alert.acknowledgeAll': { arg: noArg, result: z.object({ count: z.number().int() }) },
  /** Silences alert sounds on every panel for the configured minutes. */
  'alert.sound.mute': { arg: noArg, result: alertSoundStatusSchema },
  'alert.sound.unmute': { arg: noArg, result: alertSoundStatusSchema },

  'event.list': { arg: noArg, result: z.array(eventDefinitionViewSchema) },
  'event.create': { arg: z.object({ definition: eventDefinitionInputSchema }).strict(), result: eventDefinitionViewSchema },
  'event.update': { arg: z.object({ eventDefinitionId: id, definition: eventDefinitionInputSchema }).strict(), result: eventDefinitionViewSchema },
  'event.delete': { arg: z.object({ eventDefinitionId: id }).strict(), result: done },
  'event.test': { arg: z.object({ eventDefinitionId: id }).strict(), result: eventFiringSchema },
  'event.firings.list': { arg: z.object({ eventDefinitionId: id }).strict(), result: z.array(eventFiringSchema) },
  'event.states.list': { arg: noArg, result: z.array(ruleStateOptionSchema) },

  /** Sends a test e-mail with the saved settings at once; a refusal comes back as the server's reason in plain words. */
  'notify.test': { arg: noArg, result: z.object({ ok: z.boolean(), message: z.string() }) },

  'home.profiles.get': { arg: noArg, result: z.array(starterProfileSchema) },
  'home.setup': { arg: z.object({ profile: z.string().min(1) }).strict(), result: z.array(locationSummarySchema) },

  'edit.begin': { arg: noArg, result: editStateSchema },
  'edit.end': { arg: noArg, result: editStateSchema },
  'edit.undo': { arg: noArg, result: editStateSchema },

  'location.list': { arg: noArg, result: z.array(locationSummarySchema) },
  'location.view.get': { arg: z.object({ locationViewId: id }).strict(), result: locationViewDataSchema },
  'location.create': { arg: z.object({ name }).strict(), result: locationSummarySchema },
  'location.rename': { arg: z.object({ locationId: id, name }).strict(), result: done },
  'location.reorder': { arg: z.object({ locationIds: ids }).strict(), result: done },
  'location.delete': { arg: z.object({ locationId: id }).strict(), result: done },
  'location.background.set': {
    arg: z.object({ locationId: id, uploadId: z.string().min(1) }).strict(),
    result: z.object({ location: locationSummarySchema, removed: z.array(z.string()) }),
  },
  'location.view.create': { arg: z.object({ locationId: id, name, type: enumSchema(LocationViewType) }).strict(), result: locationViewSummarySchema },
  'location.view.update': {
    arg: z
      .object({ locationViewId: id, name: name.optional(), type: enumSchema(LocationViewType).optional(), style: enumSchema(ViewStyle).optional(), viewBox: viewBoxSchema.optional(), rotate: z.number().finite().optional() })
      .strict(),
    result: locationViewSummarySchema,
  },
  'location.view.reorder': { arg: z.object({ locationId: id, locationViewIds: ids }).strict(), result: done },
  'location.view.delete': { arg: z.object({ locationViewId: id }).strict(), result: done },

  'entity.create': {
    // Without a placement, an icon goes to the free spot nearest `near` (plan coordinates), or the view's middle.
    arg: z.object({ name, type: enumSchema(EntityType), locationViewId: id, placement: placementSchema.optional(), near: planPointSchema.optional() }).strict(),
    result: placedEntitySchema,
  },
  'entity.update': { arg: z.object({ entityId: id, name: name.optional(), type: enumSchema(EntityType).optional() }).strict(), result: done },
  'entity.place': { arg: z.object({ entityId: id, locationId: id, placement: placementSchema }).strict(), result: done },
  'entity.view.set': { arg: z.object({ entityId: id, locationViewId: id, inView: z.boolean() }).strict(), result: done },
  /** "Place all": many entities into one view at free spots, in one transaction and one undo step. */
  'entity.placeMany': {
    arg: z.object({ locationViewId: id, entityIds: z.array(id).min(1).max(MAX_PLACE_MANY) }).strict(),
    result: placeManyResultSchema,
  },
  'entity.archive': { arg: z.object({ entityId: id }).strict(), result: done },
  'entity.restore': { arg: z.object({ entityId: id }).strict(), result: done },
  'entity.archived.list': { arg: noArg, result: z.array(archivedEntitySchema) },
  'entity.detail.get': { arg: z.object({ entityId: id }).strict(), result: entityDetailSchema },
  'camera.list': { arg: noArg, result: z.array(cameraSummarySchema) },
  /** Recorded events of some cameras (or all), grouped by hour of a day or by day of a week in the home zone. */
  'video.events.browse': { arg: videoBrowseArgSchema, result: videoBrowseSchema },
  /** A state's history for a chart, downsampled in the hub to at most `buckets` buckets. */
  'entity.history.series': { arg: historySeriesArgSchema, result: historySeriesSchema },

  'collection.list': { arg: noArg, result: z.array(collectionSummarySchema) },
  'collection.get': {
    arg: z.object({ collectionId: id }).strict(),
    result: z.object({
      collection: collectionSummarySchema,
      entities: z.array(z.object({ id: z.number().int(), name: z.string(), type: z.string(), states: z.array(entityStateViewSchema) })),
    }),
  },
  'collection.create': {
    arg: z.object({ name, type: enumSchema(CollectionType), viewType: enumSchema(CollectionViewType), locationViewId: id.optional() }).strict(),
    result: collectionSummarySchema,
  },
  'collection.update': {
    arg: z.object({ collectionId: id, name: name.optional(), type: enumSchema(CollectionType).optional(), viewType: enumSchema(CollectionViewType).optional() }).strict(),
    result: done,
  },
  'collection.delete': { arg: z.object({ collectionId: id }).strict(), result: done },
  'collection.members.set': { arg: z.object({ collectionId: id, entityIds: ids }).strict(), result: done },
  'collection.place': { arg: z.object({ collectionId: id, locationId: id, placement: placementSchema }).strict(), result: done },
  'collection.view.set': { arg: z.object({ collectionId: id, locationViewId: id, inView: z.boolean() }).strict(), result: done },
  /** The home's items a collection can hold (those not archived), by name. */
  'collection.candidates.list': { arg: noArg, result: z.array(z.object({ id: z.number().int(), name: z.string(), type: z.string() })).max(MAX_COLLECTION_CANDIDATES) },
  /** Shows the collection on a view; unless already placed on the view's location, its icon goes to the free spot nearest `near`. */
  'collection.placeInView': { arg: z.object({ collectionId: id, locationViewId: id, near: planPointSchema.optional() }).strict(), result: placedCollectionSchema },

  'attribute.list': { arg: z.object({ owner: attributeOwnerSchema, deleted: z.boolean().optional() }).strict(), result: z.array(attributeViewSchema) },
  'attribute.create': {
    arg: z
      .object({
        owner: attributeOwnerSchema,
        name,
        valueType: enumSchema(AttributeValueType),
        value: z.string().max(250_000).optional(),
        choices: z.array(z.string().max(200)).max(100).optional(),
        uploadId: z.string().optional(),
      })
      .strict(),
    result: attributeViewSchema,
  },
  'attribute.update': {
    arg: z.object({ owner: attributeOwnerSchema, attributeId: id, name: name.optional(), value: z.string().max(250_000).optional(), uploadId: z.string().optional() }).strict(),
    result: attributeViewSchema,
  },
  'attribute.delete': { arg: z.object({ owner: attributeOwnerSchema, attributeId: id }).strict(), result: attributeViewSchema },
  'attribute.restore': { arg: z.object({ owner: attributeOwnerSchema, attributeId: id }).strict(), result: attributeViewSchema },
  'attribute.history.get': { arg: z.object({ owner: attributeOwnerSchema, attributeId: id }).strict(), result: z.array(attributeHistoryEntrySchema) },
  'attribute.history.restore': { arg: z.object({ owner: attributeOwnerSchema, historyId: id }).strict(), result: attributeViewSchema },
  'attribute.reorder': { arg: z.object({ owner: attributeOwnerSchema, attributeIds: ids }).strict(), result: done },

  'entity.control': {
    arg: z.object({ entityId: id, stateId: id, value: z.string().max(100) }).strict(),
    result: done,
  },

  'integration.list': { arg: noArg, result: z.array(integrationViewSchema) },
  'integration.configure': {
    arg: z
      .object({
        key: z.string().min(1),
        fields: z.record(z.string(), z.string().max(4_000)).optional(),
        importDomains: z.array(z.string().max(100)).max(200).optional(),
        importEntities: z.array(z.string().max(300)).max(20_000).optional(),
      })
      .strict(),
    result: integrationViewSchema,
  },
  'integration.test': {
    arg: z.object({ key: z.string().min(1), fields: z.record(z.string(), z.string().max(4_000)).optional() }).strict(),
    result: z.object({ ok: z.boolean(), message: z.string() }),
  },
  'integration.enable': { arg: z.object({ key: z.string().min(1) }).strict(), result: integrationViewSchema },
  'integration.disable': { arg: z.object({ key: z.string().min(1), keepItems: z.boolean() }).strict(), result: integrationViewSchema },
  'integration.pause': { arg: z.object({ key: z.string().min(1), paused: z.boolean() }).strict(), result: integrationViewSchema },
  'integration.sync': {
    // confirmRemovals: the user agreed to remove the items a previous sync left pending.
    arg: z.object({ key: z.string().min(1), confirmRemovals: z.boolean().optional() }).strict(),
    result: syncReportSchema,
  },
  'integration.upstream.list': { arg: z.object({ key: z.string().min(1) }).strict(), result: z.array(upstreamSummarySchema) },

  'file.upload.begin': {
    arg: z.object({ fileName: z.string().trim().min(1).max(255), size: z.number().int().nonnegative() }).strict(),
    result: z.object({ uploadId: z.string(), chunkBytes: z.number().int() }),
  },
  'file.upload.chunk': {
    // Base64 of at most one chunk.
    arg: z.object({ uploadId: z.string(), offset: z.number().int().nonnegative(), data: z.string().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4) }).strict(),
    result: z.object({ received: z.number().int() }),
  },
  /** The person cancelled, or the panel gave up: the hub drops what it received. Unknown ids are already gone. */
  'file.upload.cancel': { arg: z.object({ uploadId: z.string() }).strict(), result: done },
} as const satisfies Record<string, RequestSpec>;

/** Every event the hub pushes. Payloads are deltas; a client that reconnects takes `hub.snapshot` first. */
export const events = {
  /** Pairing code or paired panels changed: the System tab refetches (the code itself is never pushed). */
  'pairing.changed': pairingChangedSchema,
  'settings.changed': z.object({ settings: z.array(settingViewSchema) }),
  'monitor.health': monitorStatusSchema,
  /** The plan changed (an edit, an undo, a profile set up): panels refetch the locations and their current view. */
  'home.changed': z.object({ reason: z.string() }),
  'edit.changed': editStateSchema,
  /** New values of entity states, at most one batch per 50 ms, newest value per state. */
  'status.changed': z.object({ states: z.array(stateDeltaSchema) }),
  'integration.health': integrationHealthViewSchema,
  /** The security mode changed (by someone, or at the day/night time), or its alarm hold began or ended. */
  'security.changed': securityStatusSchema,
  /** The open alerts, the most important first: sent at once after a quiet spell, at most every 100 ms in a storm. */
  'alert.changed': z.object({ alerts: z.array(alertViewSchema).max(MAX_LIVE_ALERTS) }),
  /** Alert sounds were muted on every panel, or the mute ended. */
  'alert.sound.changed': alertSoundStatusSchema,
  /** A panel was locked or unlocked, the PIN was set or cleared, or the sleep schedule turned. */
  'console.changed': consoleChangedSchema,
} as const satisfies Record<string, z.ZodType>;

export type RequestName = keyof typeof requests;
export type RequestArg<N extends RequestName> = z.input<(typeof requests)[N]['arg']>;
export type RequestResult<N extends RequestName> = z.output<(typeof requests)[N]['result']>;
export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.output<(typeof events)[N]>;

export const requestNames = Object.keys(requests) as RequestName[];
export const eventNames = Object.keys(events) as EventName[];

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requests, name);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
