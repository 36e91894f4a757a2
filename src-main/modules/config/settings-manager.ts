import type { Kysely } from 'kysely';
import { SettingType } from '../../../src-shared/enums';
import { IpcError } from '../../../src-shared/ipc/errors';
import {
  encodeSettingValue,
  parseSettingInput,
  type SettingDescriptor,
  type SettingHistoryEntry,
  type SettingSection,
  type SettingValue,
  type SettingView,
} from '../../../src-shared/model/settings';
import type { EventBus } from '../../ipc/event-bus';
import { enumColumn } from '../../store/enum-column';
import type { Database } from '../../store/schema';
import type { SecretCipher } from '../../store/secret-cipher';
import { AsyncMutex } from '../../util/async-mutex';
import type { Clock } from '../../util/clock';
import { createLogger } from '../../util/log';
import { findHistoryEntry, listAttributes, listHistory, listSubsystems } from './models';
import type { SettingKey, SettingsDeclaration } from './setting-declaration';

const log = createLogger('settings');
const settingTypeColumn = enumColumn(SettingType);
export const SETTING_HISTORY_PAGE = 50;

interface CachedSetting {
  readonly declaration: SettingsDeclaration;
  readonly descriptor: SettingDescriptor;
  readonly attributeId: number;
  stored: string;
  updatedAt: number;
}

const cacheKey = (subsystem: string, key: string): string => `${subsystem}\u0000${key}`;

/**
 * Owns every module's settings: writes declared defaults after migrations without touching user values, validates
 * and records each change with history, and announces changes as `settings.changed` deltas.
 */
export class SettingsManager {
  private readonly cache = new Map<string, CachedSetting>();
  private readonly writes = new AsyncMutex();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly declarations: readonly SettingsDeclaration[],
    private readonly cipher: SecretCipher,
    private readonly events: EventBus,
    private readonly clock: Clock,
  ) {}

  async start(): Promise<void> {
    await this.writes.runExclusive(() => this.writeMissingDefaults());
    await this.loadCache();
  }

  stop(): void {
    this.cache.clear();
  }

  sections(): SettingSection[] {
    return this.declarations.map((declaration) => this.section(declaration));
  }

  section(declaration: SettingsDeclaration): SettingSection {
    return {
      subsystem: declaration.subsystem,
      label: declaration.label,
      description: declaration.description,
      settings: declaration.settings.map((d) => this.toView(this.require(declaration.subsystem, d.key))),
    };
  }

  /** The current value for main-side consumers; secrets come back decrypted and must never be forwarded. */
  value<D extends SettingsDeclaration>(declaration: D, key: SettingKey<D>): SettingValue {
    const entry = this.require(declaration.subsystem, key);
    if (!this.isSecret(entry)) return this.decode(entry);
    try {
      return this.decryptStored(entry.stored);
    } catch (error) {
      log.warn(`Secret ${declaration.subsystem}.${key} cannot be decrypted (was the key replaced?); treating it as not set`, error);
      return '';
    }
  }

  update(subsystem: string, key: string, input: SettingValue): Promise<SettingView> {
    return this.writes.runExclusive(async () => {
      const entry = this.require(subsystem, key);
      const parsed = parseSettingInput(entry.descriptor, input);
      if (!parsed.ok) {
        throw IpcError.invalidArgument(`${entry.descriptor.label}: ${parsed.message}`, [{ path: ['value'], message: parsed.message }]);
      }
      const changed = await this.write([[entry, parsed.value]]);
      if (changed.length > 0) this.events.emit('settings.changed', { settings: changed });
      return this.toView(entry);
    });
  }

  async history(subsystem: string, key: string): Promise<SettingHistoryEntry[]> {
    const entry = this.require(subsystem, key);
    const rows = await listHistory(this.db, entry.attributeId, SETTING_HISTORY_PAGE);
    return rows.map((row) => ({ id: row.id, value: this.isSecret(entry) ? null : this.decodeStored(entry, row.value), changedAt: row.changed_at }));
  }

  restoreHistory(historyId: number): Promise<SettingView> {
    return this.writes.runExclusive(async () => {
      const row = await findHistoryEntry(this.db, historyId);
      const entry = row && [...this.cache.values()].find((e) => e.attributeId === row.attribute_id);
      if (!row || !entry) throw IpcError.notFound(`No setting history entry ${historyId}`);
      const value = this.isSecret(entry) ? this.decryptStored(row.value) : this.parseStoredStrict(entry, row.value);
      const changed = await this.write([[entry, value]]);
      if (changed.length > 0) this.events.emit('settings.changed', { settings: changed });
      return this.toView(entry);
    });
  }

  restoreDefaults(subsystem: string): Promise<SettingSection> {
    return this.writes.runExclusive(async () => {
      const declaration = this.declarations.find((d) => d.subsystem === subsystem);
      if (!declaration) throw IpcError.notFound(`No settings subsystem '${subsystem}'`);
      const changes = declaration.settings.map((d) => [this.require(subsystem, d.key), d.defaultValue] as const);
      const changed = await this.write(changes);
      if (changed.length > 0) this.events.emit('settings.changed', { settings: changed });
      return this.section(declaration);
    });
  }

  /** Writes the changes that differ from what is stored, with history, in one transaction; answers their views. */
  private async write(changes: ReadonlyArray<readonly [CachedSetting, SettingValue]>): Promise<SettingView[]> {
    const now = this.clock.now();
    const pending = changes.filter(([entry, value]) => !this.storedEquals(entry, value));
    if (pending.length === 0) return [];
    const encoded = pending.map(([entry, value]) => [entry, this.encode(entry, value)] as const);
    await this.db.transaction().execute(async (trx) => {
      for (const [entry, stored] of encoded) {
        await trx.insertInto('subsystem_attribute_history').values({ attribute_id: entry.attributeId, value: entry.stored, changed_at: now }).execute();
        await trx
          .updateTable('subsystem_attribute')
          .set({ value: stored, value_type_str: entry.descriptor.type, updated_at: now })
          .where('id', '=', entry.attributeId)
          .execute();
      }
    });
    for (const [entry, stored] of encoded) {
      entry.stored = stored;
      entry.updatedAt = now;
    }
    return encoded.map(([entry]) => this.toView(entry));
  }

  private async writeMissingDefaults(): Promise<void> {
    // Most starts find every setting in place: two reads rather than a write transaction with an insert per setting.
    const [subsystems, attributes] = await Promise.all([listSubsystems(this.db), listAttributes(this.db)]);
    const knownSubsystems = new Set(subsystems.map((s) => s.subsystem_key));
    const knownSettings = new Set(attributes.map((a) => cacheKey(a.subsystem_key, a.setting_key)));
    const incomplete = this.declarations.filter(
      (d) => !knownSubsystems.has(d.subsystem) || d.settings.some((descriptor) => !knownSettings.has(cacheKey(d.subsystem, descriptor.key))),
    );
    if (incomplete.length === 0) return;
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      for (const declaration of incomplete) {
        await trx
          .insertInto('subsystem')
          .values({ subsystem_key: declaration.subsystem, name: declaration.label, created_at: now })
          .onConflict((oc) => oc.column('subsystem_key').doNothing())
          .execute();
        const subsystem = await trx.selectFrom('subsystem').select('id').where('subsystem_key', '=', declaration.subsystem).executeTakeFirstOrThrow();
        for (const descriptor of declaration.settings) {
          const isSecret = SettingType.fromName(descriptor.type) === SettingType.SECRET;
          await trx
            .insertInto('subsystem_attribute')
            .values({
              subsystem_id: subsystem.id,
              setting_key: descriptor.key,
              value_type_str: descriptor.type,
              value: isSecret ? '' : encodeSettingValue(descriptor.defaultValue),
              created_at: now,
              updated_at: now,
            })
            .onConflict((oc) => oc.columns(['subsystem_id', 'setting_key']).doNothing())
            .execute();
        }
      }
    });
  }

  private async loadCache(): Promise<void> {
    const [subsystems, attributes] = await Promise.all([listSubsystems(this.db), listAttributes(this.db)]);
    const known = new Set(subsystems.map((s) => s.subsystem_key));
    this.cache.clear();
    for (const declaration of this.declarations) {
      if (!known.has(declaration.subsystem)) throw new Error(`Subsystem ${declaration.subsystem} was not written`);
      for (const descriptor of declaration.settings) {
        const row = attributes.find((a) => a.subsystem_key === declaration.subsystem && a.setting_key === descriptor.key);
        if (!row) throw new Error(`Setting ${declaration.subsystem}.${descriptor.key} was not written`);
        if (settingTypeColumn.read(row.value_type_str).value !== descriptor.type) {
          log.warn(`Setting ${declaration.subsystem}.${descriptor.key} was stored as ${row.value_type_str}, now ${descriptor.type}`);
        }
        this.cache.set(cacheKey(declaration.subsystem, descriptor.key), {
          declaration,
          descriptor,
          attributeId: row.id,
          stored: row.value,
          updatedAt: row.updated_at,
        });
      }
    }
  }

  private require(subsystem: string, key: string): CachedSetting {
    const entry = this.cache.get(cacheKey(subsystem, key));
    if (!entry) throw IpcError.notFound(`No setting '${key}' in '${subsystem}'`);
    return entry;
  }

  private isSecret(entry: CachedSetting): boolean {
    return SettingType.fromName(entry.descriptor.type) === SettingType.SECRET;
  }

  private encode(entry: CachedSetting, value: SettingValue): string {
    if (!this.isSecret(entry)) return encodeSettingValue(value);
    return value === '' ? '' : this.cipher.encrypt(String(value));
  }

  private decryptStored(stored: string): string {
    return stored === '' ? '' : this.cipher.decrypt(stored);
  }

  private storedEquals(entry: CachedSetting, value: SettingValue): boolean {
    if (!this.isSecret(entry)) return entry.stored === encodeSettingValue(value);
    try {
      return this.decryptStored(entry.stored) === value;
    } catch {
      // Undecryptable (the key was lost): the user must still be able to enter the secret again.
      return false;
    }
  }

  private decode(entry: CachedSetting): SettingValue {
    return this.decodeStored(entry, entry.stored);
  }

  /** A stored value that no longer validates (say, a narrowed range) reads as the default. */
  private decodeStored(entry: CachedSetting, stored: string): SettingValue {
    const parsed = parseSettingInput(entry.descriptor, stored);
    if (parsed.ok) return parsed.value;
    log.warn(`Stored value of ${entry.declaration.subsystem}.${entry.descriptor.key} is invalid (${parsed.message}); using the default`);
    return entry.descriptor.defaultValue;
  }

  private parseStoredStrict(entry: CachedSetting, stored: string): SettingValue {
    const parsed = parseSettingInput(entry.descriptor, stored);
    if (!parsed.ok) throw IpcError.conflict(`That earlier value is no longer allowed: ${parsed.message}`);
    return parsed.value;
  }

  private toView(entry: CachedSetting): SettingView {
    const { descriptor, declaration } = entry;
    const secret = this.isSecret(entry);
    const value = secret ? null : this.decode(entry);
    return {
      ...descriptor,
      subsystem: declaration.subsystem,
      value,
      defaultValue: secret ? null : descriptor.defaultValue,
      hasValue: secret ? entry.stored !== '' : true,
      isDefault: secret ? entry.stored === '' : value === descriptor.defaultValue,
      updatedAt: entry.updatedAt,
    };
  }
}
