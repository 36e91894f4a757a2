import { useState } from 'preact/hooks';
import { AttributeValueType } from '../../../src-shared/enums/entity';
import type { AttributeOwner, AttributeView } from '../../../src-shared/model/attribute';
import { useBridge } from '../../bridge-context';
import { errorMessage } from '../../components/format';
import { useCancellableUpload, type UploadProgress } from '../../components/upload';
import { useHubQuery } from '../../components/use-hub-query';
import { initialDraft, ValueDisplay, ValueInput } from './attribute-fields';
import { formatBytes, useWhenFormatter } from './format';

interface AttributeListProps {
  /** An entity's or a location's: every request below goes to this owner. */
  owner: AttributeOwner;
  /** The owner's current attributes, as its detail request returned them (or `attribute.list`). */
  attributes: readonly AttributeView[];
  /** Called after every change made here, so that the caller refetches. */
  onChanged(): void;
}

function UploadProgressBar({ progress, onCancel }: { progress: UploadProgress | null; onCancel(): void }) {
  if (!progress) return null;
  return (
    <div class="upload-progress">
      <progress data-testid="attribute-upload-progress" value={progress.sent} max={Math.max(progress.total, 1)} />
      <span class="muted">
        Uploading {formatBytes(progress.sent)} of {formatBytes(progress.total)}…
      </span>
      <button type="button" class="secondary" data-testid="attribute-upload-cancel" onClick={onCancel}>
        Cancel upload
      </button>
    </div>
  );
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p class="field-error" role="alert" data-testid="attribute-error">
      {error}
    </p>
  ) : null;
}

const typeLabel = (valueType: string) => AttributeValueType.fromNameSafe(valueType).label;

/**
 * What the user types stays in the editor until the hub accepts it: a failed save shows why and keeps the draft.
 * A file is uploaded as soon as it is chosen; a failed upload keeps the file for "Try again".
 */
function AttributeEditor({ owner, attribute, onSaved, onCancel }: { owner: AttributeOwner; attribute: AttributeView; onSaved(): void; onCancel(): void }) {
  const bridge = useBridge();
  const { progress, upload, cancel: cancelUpload } = useCancellableUpload(bridge);
  const type = AttributeValueType.fromNameSafe(attribute.valueType);
  const [draft, setDraft] = useState(() => initialDraft(type, attribute.value, attribute.choices));
  const [file, setFile] = useState<File | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (change: { value: string } | { file: File }) => {
    setSaving(true);
    setError(null);
    try {
      const value = 'file' in change ? { uploadId: await upload(change.file) } : { value: change.value };
      await bridge.invoke('attribute.update', { owner, attributeId: attribute.id, ...value });
    } catch (e) {
      setError(errorMessage(e));
      setSaving(false);
      return;
    }
    onSaved();
  };

  const cancel = (
    <button type="button" class="secondary" data-testid="attribute-cancel" disabled={saving} onClick={onCancel}>
      Cancel
    </button>
  );

  if (type === AttributeValueType.FILE) {
    return (
      <div class="attribute-editor">
        <ValueDisplay valueType={attribute.valueType} value={attribute.value} hasValue={attribute.hasValue} file={attribute.file} />
        <label class="file-picker">
          <span>Replace file</span>
          <input
            type="file"
            data-testid="attribute-file-input"
            disabled={saving}
            onChange={(e) => {
              const chosen = e.currentTarget.files?.[0];
              // Cleared so that choosing the same file again after a failure still fires a change.
              e.currentTarget.value = '';
              if (!chosen) return;
              setFile(chosen);
              void save({ file: chosen });
            }}
          />
        </label>
        {file && (
          <p class="muted">
            {file.name} ({formatBytes(file.size)})
          </p>
        )}
        <UploadProgressBar progress={progress} onCancel={cancelUpload} />
        <ErrorLine error={error} />
        <div class="form-actions">
          {file && error && (
            <button type="button" data-testid="attribute-save" disabled={saving} onClick={() => void save({ file })}>
              Try again
            </button>
          )}
          {cancel}
        </div>
      </div>
    );
  }

  const secret = type === AttributeValueType.SECRET;
  return (
    <form
      class="attribute-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save({ value: draft });
      }}
    >
      <ValueInput
        type={type}
        value={draft}
        choices={attribute.choices}
        hasValue={attribute.hasValue}
        testId="attribute-value-input"
        disabled={saving}
        onChange={(value) => {
          setDraft(value);
          setError(null);
        }}
      />
      <ErrorLine error={error} />
      <div class="form-actions">
        {/* An empty secret field means "keep it": clearing is its own button. */}
        <button type="submit" data-testid="attribute-save" disabled={saving || (secret && draft === '')}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {cancel}
        {secret && attribute.hasValue && (
          <button type="button" class="secondary" data-testid="attribute-clear" disabled={saving} onClick={() => void save({ value: '' })}>
            Clear
          </button>
        )}
      </div>
    </form>
  );
}

function AttributeHistory({ owner, attribute, onChanged }: { owner: AttributeOwner; attribute: AttributeView; onChanged(): void }) {
  const bridge = useBridge();
  const formatWhen = useWhenFormatter();
  const { data: entries, error, setError } = useHubQuery('attribute.history.get', { owner, attributeId: attribute.id }, attribute.updatedAt);
  const restore = async (historyId: number) => {
    setError(null);
    try {
      await bridge.invoke('attribute.history.restore', { owner, historyId });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div class="attribute-history" data-testid={`attribute-history-list-${attribute.id}`}>
      <ErrorLine error={error} />
      {entries === null ? (
        !error && <p class="muted">Loading history…</p>
      ) : entries.length === 0 ? (
        <p class="muted">No earlier values.</p>
      ) : (
        <ol>
          {entries.map((entry) => (
            <li key={entry.id} data-testid="attribute-history-entry">
              <div class="history-entry-value">
                <ValueDisplay valueType={attribute.valueType} value={entry.value} hasValue={entry.value !== ''} file={entry.file} />
                <span class="muted">{formatWhen(entry.changedAt)}</span>
              </div>
              <button type="button" class="secondary" data-testid={`attribute-history-restore-${entry.id}`} onClick={() => void restore(entry.id)}>
                Restore
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function AttributeItem({ owner, attribute, onChanged }: { owner: AttributeOwner; attribute: AttributeView; onChanged(): void }) {
  const bridge = useBridge();
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = attribute.id;

  const remove = async () => {
    setDeleting(true);
    setError(null);
    try {
      await bridge.invoke('attribute.delete', { owner, attributeId: id });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
      setDeleting(false);
    }
  };

  return (
    <li class="attribute" data-testid={`attribute-${id}`} data-type={attribute.valueType}>
      <div class="attribute-head">
        <span class="attribute-name">{attribute.name}</span>
        <span class="attribute-type">{typeLabel(attribute.valueType)}</span>
      </div>
      {editing ? (
        <AttributeEditor
          owner={owner}
          attribute={attribute}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      ) : (
        <>
          <ValueDisplay valueType={attribute.valueType} value={attribute.value} hasValue={attribute.hasValue} file={attribute.file} openTestId={`attribute-open-${id}`} />
          <div class="attribute-actions">
            <button type="button" class="secondary" data-testid={`attribute-edit-${id}`} onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" class="secondary" aria-expanded={showHistory} data-testid={`attribute-history-${id}`} onClick={() => setShowHistory(!showHistory)}>
              History
            </button>
            <button type="button" class="secondary delete" data-testid={`attribute-delete-${id}`} disabled={deleting} onClick={() => void remove()}>
              Delete
            </button>
          </div>
          <ErrorLine error={error} />
        </>
      )}
      {showHistory && <AttributeHistory owner={owner} attribute={attribute} onChanged={onChanged} />}
    </li>
  );
}

function DeletedAttributes({ owner, refreshKey, onChanged }: { owner: AttributeOwner; refreshKey: unknown; onChanged(): void }) {
  const bridge = useBridge();
  const formatWhen = useWhenFormatter();
  const { data: deleted, error, setError } = useHubQuery('attribute.list', { owner, deleted: true }, refreshKey);
  const restore = async (attributeId: number) => {
    setError(null);
    try {
      await bridge.invoke('attribute.restore', { owner, attributeId });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div class="deleted-attributes" data-testid="attributes-deleted">
      <h4>Deleted</h4>
      <ErrorLine error={error} />
      {deleted?.length === 0 && <p class="muted">Nothing deleted.</p>}
      <ul>
        {deleted?.map((a) => (
          <li key={a.id} data-testid={`attribute-deleted-${a.id}`}>
            <div class="deleted-attribute-text">
              <span class="attribute-name">{a.name}</span>
              <span class="muted">
                {typeLabel(a.valueType)}
                {a.deletedAt !== null && ` · deleted ${formatWhen(a.deletedAt)}`}
              </span>
            </div>
            <button type="button" class="secondary" data-testid={`attribute-restore-${a.id}`} onClick={() => void restore(a.id)}>
              Restore
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const parseChoices = (text: string): string[] => [...new Set(text.split(',').map((c) => c.trim()).filter((c) => c !== ''))];

/** Adding an attribute: the form stays filled in until the hub accepts it. */
function NewAttributeForm({ owner, onCreated, onCancel }: { owner: AttributeOwner; onCreated(): void; onCancel(): void }) {
  const bridge = useBridge();
  const { progress, upload, cancel: cancelUpload } = useCancellableUpload(bridge);
  const [name, setName] = useState('');
  const [type, setType] = useState<AttributeValueType>(AttributeValueType.TEXT);
  // One draft per type, so trying another type and coming back loses nothing.
  const [drafts, setDrafts] = useState<Partial<Record<string, string>>>({});
  const [choicesText, setChoicesText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const enumType = type === AttributeValueType.ENUM;
  const choices = enumType ? parseChoices(choicesText) : null;
  const stored = drafts[type.value];
  const value = enumType || stored === undefined ? initialDraft(type, stored ?? null, choices) : stored;
  const edited = () => setError(null);

  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      const base = { owner, name, valueType: type.value };
      if (type === AttributeValueType.FILE) {
        if (!file) throw new Error('Choose a file to upload.');
        await bridge.invoke('attribute.create', { ...base, uploadId: await upload(file) });
      } else {
        await bridge.invoke('attribute.create', { ...base, value, ...(choices ? { choices } : {}) });
      }
    } catch (e) {
      setError(errorMessage(e));
      setSaving(false);
      return;
    }
    onCreated();
  };

  return (
    <form
      class="attribute-new"
      data-testid="attribute-new-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label class="form-field">
        <span>Name</span>
        <input
          type="text"
          data-testid="attribute-new-name"
          autoComplete="off"
          placeholder="e.g. Manual, Filter size, Wi-Fi password"
          value={name}
          onInput={(e) => {
            setName(e.currentTarget.value);
            edited();
          }}
        />
      </label>
      <label class="form-field">
        <span>Type</span>
        <select
          data-testid="attribute-new-type"
          value={type.value}
          onChange={(e) => {
            setType(AttributeValueType.fromName(e.currentTarget.value));
            edited();
          }}
        >
          {AttributeValueType.members.map((member) => (
            <option key={member.value} value={member.value} title={member.description}>
              {member.label}
            </option>
          ))}
        </select>
      </label>
      {enumType && (
        <label class="form-field">
          <span>Choices, separated by commas</span>
          <input
            type="text"
            data-testid="attribute-new-choices"
            autoComplete="off"
            placeholder="e.g. Gas, Electric, Propane"
            value={choicesText}
            onInput={(e) => {
              setChoicesText(e.currentTarget.value);
              edited();
            }}
          />
        </label>
      )}
      {type === AttributeValueType.FILE ? (
        <label class="file-picker">
          <span>File (PDF, image or text)</span>
          <input
            type="file"
            data-testid="attribute-new-file"
            disabled={saving}
            onChange={(e) => {
              const chosen = e.currentTarget.files?.[0] ?? null;
              setFile(chosen);
              if (chosen && name.trim() === '') setName(chosen.name.replace(/\.[^.]+$/, ''));
              edited();
            }}
          />
        </label>
      ) : (
        <div class="form-field">
          <span>Value</span>
          <ValueInput
            // A new editor per type: the note editor reads its content only when it mounts.
            key={type.value}
            type={type}
            value={value}
            choices={choices}
            testId="attribute-new-value"
            disabled={saving}
            onChange={(next) => {
              setDrafts({ ...drafts, [type.value]: next });
              edited();
            }}
          />
        </div>
      )}
      <UploadProgressBar progress={progress} onCancel={cancelUpload} />
      <ErrorLine error={error} />
      <div class="form-actions">
        <button type="submit" data-testid="attribute-new-save" disabled={saving || name.trim() === ''}>
          {saving ? 'Adding…' : 'Add'}
        </button>
        <button type="button" class="secondary" data-testid="attribute-new-cancel" disabled={saving} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The attributes of one owner (an entity or a location): each shown by its type, with edit, history, soft delete
 * and restore, and a form to add more.
 */
export function AttributeList({ owner, attributes, onChanged }: AttributeListProps) {
  const [adding, setAdding] = useState(false);
  const [showDeleted, setShowDeleted] = useState(false);
  return (
    <div class="attribute-list">
      {attributes.length === 0 ? (
        <p class="muted" data-testid="attributes-empty">
          No notes, documents or details yet.
        </p>
      ) : (
        <ul>
          {attributes.map((attribute) => (
            <AttributeItem key={attribute.id} owner={owner} attribute={attribute} onChanged={onChanged} />
          ))}
        </ul>
      )}
      {adding && (
        <NewAttributeForm
          owner={owner}
          onCancel={() => setAdding(false)}
          onCreated={() => {
            setAdding(false);
            onChanged();
          }}
        />
      )}
      <div class="form-actions">
        {!adding && (
          <button type="button" data-testid="attribute-add" onClick={() => setAdding(true)}>
            Add
          </button>
        )}
        <button type="button" class="secondary" aria-pressed={showDeleted} data-testid="attributes-show-deleted" onClick={() => setShowDeleted(!showDeleted)}>
          {showDeleted ? 'Hide deleted' : 'Show deleted'}
        </button>
      </div>
      {/* Refetched whenever the caller's list changes: a delete or restore moves an attribute between the two. */}
      {showDeleted && <DeletedAttributes owner={owner} refreshKey={attributes} onChanged={onChanged} />}
    </div>
  );
}
