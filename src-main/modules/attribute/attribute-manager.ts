import type { Kysely } from 'kysely';
import type { IOptions } from 'sanitize-html';
import { AttributeValueType } from '../../../src-shared/enums/entity';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { AttributeHistoryEntry, AttributeOwner, AttributeView, StoredFileView } from '../../../src-shared/model/attribute';
import { parseChoices } from '../../store/choices-column';
import { writeOrder } from '../../store/ordering';
import type { Database } from '../../store/schema';
import type { SecretCipher } from '../../store/secret-cipher';
import type { Clock } from '../../util/clock';
import { DATA_URL_PREFIX } from '../location/location-manager';
import { FILES_DIR, THUMBNAILS_DIR, type FileStore, type StoredFile } from './file-store';
import type { AttributeHistory, EntityAttribute } from './models';

const MAX_TEXT_LENGTH = 10_000;
const MAX_NOTE_LENGTH = 200_000;
const HISTORY_PAGE = 50;

let noteSanitizer: Promise<(html: string) => string> | null = null;

/**
 * Notes are rich text: a small set of formatting tags, links only to the web or e-mail. The sanitiser loads with the
 * first note rather than with the hub: it was 18 ms of every start, and most starts save no note.
 */
export function sanitizeNote(html: string): Promise<string> {
  noteSanitizer ??= import('sanitize-html').then(({ default: sanitizeHtml }) => {
    const policy: IOptions = {
      allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'ul', 'ol', 'li', 'h3', 'h4', 'blockquote', 'code', 'pre', 'a', 'div', 'span'],
      // rel and target are set by the transform below, whatever the input said.
      allowedAttributes: { a: ['href', 'rel', 'target'] },
      allowedSchemes: ['http', 'https', 'mailto'],
      allowProtocolRelative: false,
      transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
      disallowedTagsMode: 'discard',
    };
    return (note: string) => sanitizeHtml(note, policy);
  });
  return noteSanitizer.then((sanitize) => sanitize(html));
}

type AttributeRow = EntityAttribute;

interface Tables {
  attributes: 'entity_attribute';
  history: 'entity_attribute_history';
  owner: 'entity_id';
}

// Entity and location attributes share one shape; only the table and owner column differ.
function tablesOf(owner: AttributeOwner): Tables {
  return (owner.kind === 'entity'
    ? { attributes: 'entity_attribute', history: 'entity_attribute_history', owner: 'entity_id' }
    : { attributes: 'location_attribute', history: 'location_attribute_history', owner: 'location_id' }) as Tables;
}

export interface NewAttribute {
  name: string;
  valueType: AttributeValueType;
  value?: string;
  choices?: string[];
  uploadId?: string;
}

/**
 * Typed attributes of entities and locations: text, notes, files, secrets and values, ordered, each change kept in
 * history with one-step restore, and soft delete with restore.
 */
export class AttributeManager {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly files: FileStore,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  async list(owner: AttributeOwner, options: { deleted?: boolean } = {}): Promise<AttributeView[]> {
    await this.requireOwner(owner);
    const t = tablesOf(owner);
    const rows = await this.db
      .selectFrom(t.attributes)
      .selectAll()
      .where(t.owner, '=', owner.id)
      .where('deleted_at', options.deleted ? 'is not' : 'is', null)
      .orderBy('order_id')
      .orderBy('id')
      .execute();
    return rows.map((row) => this.toView(row));
  }

  async create(owner: AttributeOwner, input: NewAttribute): Promise<AttributeView> {
    await this.requireOwner(owner);
    const t = tablesOf(owner);
    const name = input.name.trim();
    if (name === '') throw IpcError.invalidArgument('An attribute needs a name.', [{ path: ['name'], message: 'Required.' }]);
    const choices = input.valueType === AttributeValueType.ENUM ? normaliseChoices(input.choices) : null;
    const stored = await this.prepareValue(input.valueType, choices, input.value ?? '', input.uploadId);
    const now = this.clock.now();
    const last = await this.db.selectFrom(t.attributes).select((eb) => eb.fn.max('order_id').as('max')).where(t.owner, '=', owner.id).executeTakeFirst();
    const row = await this.db
      .insertInto(t.attributes)
      .values({
        [t.owner]: owner.id,
        name,
        value_type_str: input.valueType.value,
        value: stored.value,
        value_range_str: choices ? JSON.stringify(choices) : null,
        file_name: stored.file?.fileName ?? null,
        file_mime_type: stored.file?.mimeType ?? null,
        file_size: stored.file?.size ?? null,
        thumbnail_name: stored.file?.thumbnailName ?? null,
        order_id: Number(last?.max ?? -1) + 1,
        deleted_at: null,
        created_at: now,
        updated_at: now,
      } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
    return this.toView(row);
  }

  /** A new value (or file) for an attribute; the old one goes into history. */
  async update(owner: AttributeOwner, id: number, change: { value?: string; uploadId?: string; name?: string }): Promise<AttributeView> {
    const row = await this.requireAttribute(owner, id);
    const t = tablesOf(owner);
    if (change.value === undefined && change.uploadId === undefined) {
      const name = change.name?.trim() ?? '';
      if (name === '') throw IpcError.invalidArgument('Give a new name, value or file.', [{ path: ['name'], message: 'Required.' }]);
      await this.db.updateTable(t.attributes).set({ name, updated_at: this.clock.now() }).where('id', '=', id).execute();
      return this.toView(await this.requireAttribute(owner, id));
    }
    const type = AttributeValueType.fromNameSafe(row.value_type_str);
    const stored = await this.prepareValue(type, parseChoices(row.value_range_str), change.value ?? '', change.uploadId);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto(t.history)
        .values({ attribute_id: id, value: row.value, file_name: row.file_name, file_mime_type: row.file_mime_type, file_size: row.file_size, changed_at: now })
        .execute();
      await trx
        .updateTable(t.attributes)
        .set({
          ...(change.name !== undefined && change.name.trim() !== '' ? { name: change.name.trim() } : {}),
          value: stored.value,
          ...(stored.file
            ? { file_name: stored.file.fileName, file_mime_type: stored.file.mimeType, file_size: stored.file.size, thumbnail_name: stored.file.thumbnailName }
            : {}),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    });
    return this.toView(await this.requireAttribute(owner, id));
  }

  async history(owner: AttributeOwner, id: number): Promise<AttributeHistoryEntry[]> {
    const row = await this.requireAttribute(owner, id, { includeDeleted: true });
    const t = tablesOf(owner);
    const rows = await this.db.selectFrom(t.history).selectAll().where('attribute_id', '=', id).orderBy('changed_at', 'desc').orderBy('id', 'desc').limit(HISTORY_PAGE).execute();
    const secret = AttributeValueType.fromNameSafe(row.value_type_str) === AttributeValueType.SECRET;
    return rows.map((h) => ({ id: h.id, value: secret ? null : h.value, file: this.fileView(h.file_name, h.value, h.file_mime_type, h.file_size, null), changedAt: h.changed_at }));
  }

  /** Puts an earlier value back; the value it replaces goes into history, so a restore can be undone the same way. */
  async restoreHistory(owner: AttributeOwner, historyId: number): Promise<AttributeView> {
    const t = tablesOf(owner);
    const entry: AttributeHistory | undefined = await this.db.selectFrom(t.history).selectAll().where('id', '=', historyId).executeTakeFirst();
    if (!entry) throw IpcError.notFound(`No attribute history entry ${historyId}`);
    const row = await this.requireAttribute(owner, entry.attribute_id);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto(t.history)
        .values({ attribute_id: row.id, value: row.value, file_name: row.file_name, file_mime_type: row.file_mime_type, file_size: row.file_size, changed_at: now })
        .execute();
      await trx
        .updateTable(t.attributes)
        .set({
          value: entry.value,
          file_name: entry.file_name,
          file_mime_type: entry.file_mime_type,
          file_size: entry.file_size,
          thumbnail_name: entry.file_name ? this.files.thumbnailOf(entry.file_name) : null,
          updated_at: now,
        })
        .where('id', '=', row.id)
        .execute();
    });
    return this.toView(await this.requireAttribute(owner, row.id));
  }

  async setDeleted(owner: AttributeOwner, id: number, deleted: boolean): Promise<AttributeView> {
    const row = await this.requireAttribute(owner, id, { includeDeleted: true });
    if ((row.deleted_at !== null) === deleted) throw IpcError.conflict(deleted ? 'That attribute is already deleted.' : 'That attribute is not deleted.');
    const t = tablesOf(owner);
    await this.db.updateTable(t.attributes).set({ deleted_at: deleted ? this.clock.now() : null, updated_at: this.clock.now() }).where('id', '=', id).execute();
    return this.toView(await this.requireAttribute(owner, id, { includeDeleted: true }));
  }

  async reorder(owner: AttributeOwner, ids: readonly number[]): Promise<void> {
    const current = (await this.list(owner)).map((a) => a.id);
    await writeOrder(this.db, tablesOf(owner).attributes, current, ids, 'attributes');
  }

  private async requireOwner(owner: AttributeOwner): Promise<void> {
    const found =
      owner.kind === 'entity'
        ? await this.db.selectFrom('entity').select('id').where('id', '=', owner.id).executeTakeFirst()
        : await this.db.selectFrom('location').select('id').where('id', '=', owner.id).executeTakeFirst();
    if (!found) throw IpcError.notFound(`No ${owner.kind} ${owner.id}`);
  }

  private async requireAttribute(owner: AttributeOwner, id: number, options: { includeDeleted?: boolean } = {}): Promise<AttributeRow> {
    const t = tablesOf(owner);
    const row = (await this.db.selectFrom(t.attributes).selectAll().where('id', '=', id).where(t.owner, '=', owner.id).executeTakeFirst()) as AttributeRow | undefined;
    if (!row || (row.deleted_at !== null && !options.includeDeleted)) throw IpcError.notFound(`No attribute ${id} on ${owner.kind} ${owner.id}`);
    return row;
  }

  /** Validates a value for its type and turns it into what is stored. */
  private async prepareValue(type: AttributeValueType, choices: string[] | null, raw: string, uploadId: string | undefined): Promise<{ value: string; file?: StoredFile }> {
    const fail = (message: string): never => {
      throw IpcError.invalidArgument(message, [{ path: ['value'], message }]);
    };
    switch (type) {
      case AttributeValueType.FILE: {
        if (!uploadId) return fail('Choose a file to upload.');
        const file = await this.files.finish(uploadId);
        return { value: file.originalName, file };
      }
      case AttributeValueType.NOTE:
        if (raw.length > MAX_NOTE_LENGTH) fail(`A note can be at most ${MAX_NOTE_LENGTH} characters.`);
        return { value: await sanitizeNote(raw) };
      case AttributeValueType.SECRET:
        return { value: raw === '' ? '' : this.cipher.encrypt(raw) };
      case AttributeValueType.ENUM:
        if (!choices?.includes(raw)) fail(`Must be one of: ${(choices ?? []).join(', ')}.`);
        return { value: raw };
      case AttributeValueType.BOOLEAN:
        if (raw !== 'true' && raw !== 'false') fail('Must be yes or no.');
        return { value: raw };
      case AttributeValueType.INTEGER:
        if (!/^-?\d+$/.test(raw.trim())) fail('Must be a whole number.');
        return { value: String(Number(raw.trim())) };
      case AttributeValueType.FLOAT:
        if (raw.trim() === '' || !Number.isFinite(Number(raw.trim()))) fail('Must be a number.');
        return { value: String(Number(raw.trim())) };
      case AttributeValueType.LINK: {
        const url = parseUrl(raw.trim());
        if (!url || !['http:', 'https:', 'mailto:'].includes(url.protocol)) return fail('Must be a web address (http or https) or a mailto: link.');
        return { value: url.toString() };
      }
      default:
        if (raw.length > MAX_TEXT_LENGTH) fail(`Text can be at most ${MAX_TEXT_LENGTH} characters.`);
        return { value: raw };
    }
  }

  private fileView(fileName: string | null, originalName: string, mimeType: string | null, size: number | null, thumbnailName: string | null): StoredFileView | null {
    if (!fileName) return null;
    return {
      url: `${DATA_URL_PREFIX}/${FILES_DIR}/${fileName}`,
      originalName,
      mimeType: mimeType ?? 'application/octet-stream',
      size: size ?? 0,
      thumbnailUrl: thumbnailName ? `${DATA_URL_PREFIX}/${FILES_DIR}/${THUMBNAILS_DIR}/${thumbnailName}` : null,
    };
  }

  private toView(row: AttributeRow): AttributeView {
    const type = AttributeValueType.fromNameSafe(row.value_type_str);
    const secret = type === AttributeValueType.SECRET;
    return {
      id: row.id,
      name: row.name,
      valueType: type.value,
      value: secret ? null : row.value,
      hasValue: row.value !== '',
      choices: parseChoices(row.value_range_str),
      file: this.fileView(row.file_name, row.value, row.file_mime_type, row.file_size, row.thumbnail_name),
      order: row.order_id,
      updatedAt: row.updated_at,
      deletedAt: row.deleted_at,
    };
  }
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function normaliseChoices(choices: string[] | undefined): string[] {
  const cleaned = [...new Set((choices ?? []).map((c) => c.trim()).filter((c) => c !== ''))];
  if (cleaned.length === 0) throw IpcError.invalidArgument('A choice attribute needs at least one choice.', [{ path: ['choices'], message: 'Required.' }]);
  return cleaned;
}
