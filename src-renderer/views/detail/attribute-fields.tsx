import type { JSX } from 'preact';
import { useCallback, useRef, useState } from 'preact/hooks';
import { AttributeValueType } from '../../../src-shared/enums/entity';
import type { StoredFileView } from '../../../src-shared/model/attribute';
import { lazyComponent } from '../../components/lazy-component';
import { formatBytes } from './format';

// With its own chunk (and preact/compat, for the portal): opened now and then, never needed for the first paint.
const DocumentViewerOverlay = lazyComponent(() => import('../../components/DocumentViewer').then((m) => m.DocumentViewerOverlay));

/**
 * The one HTML sink of the renderer: NOTE values, which the hub sanitises on every write (tags and link schemes on
 * an allow-list), so what it sends back is safe to render as markup.
 */
const hubSanitisedNote = (html: string) => ({ __html: html });

function fileBadge(mimeType: string): string {
  if (mimeType === 'application/pdf') return 'PDF';
  if (mimeType.startsWith('image/')) return 'IMG';
  if (mimeType.startsWith('text/')) return 'TXT';
  return 'FILE';
}

export function FileCard({ file, openTestId }: { file: StoredFileView; openTestId?: string }) {
  const [viewing, setViewing] = useState(false);
  const close = useCallback(() => setViewing(false), []);
  return (
    <div class="file-card">
      {file.thumbnailUrl ? (
        <img class="file-thumb" src={file.thumbnailUrl} alt="" loading="lazy" />
      ) : (
        <span class="file-badge" aria-hidden="true">
          {fileBadge(file.mimeType)}
        </span>
      )}
      <div class="file-meta">
        <span class="file-name">{file.originalName}</span>
        <span class="muted">{formatBytes(file.size)}</span>
      </div>
      <button type="button" class="secondary" data-testid={openTestId} onClick={() => setViewing(true)}>
        Open
      </button>
      {viewing && <DocumentViewerOverlay document={file} onClose={close} />}
    </div>
  );
}

const SAFE_LINK = /^(https?:|mailto:)/i;

interface ValueDisplayProps {
  valueType: string;
  value: string | null;
  /** False when nothing was ever set; secrets arrive as a null value either way. */
  hasValue: boolean;
  file: StoredFileView | null;
  openTestId?: string;
}

/** An attribute value (current or from history) shown by its type. */
export function ValueDisplay({ valueType, value, hasValue, file, openTestId }: ValueDisplayProps) {
  const type = AttributeValueType.fromNameSafe(valueType);
  if (type === AttributeValueType.SECRET) {
    return hasValue ? <span class="attribute-value secret">••••••</span> : <span class="attribute-value muted">Not set</span>;
  }
  if (type === AttributeValueType.FILE) {
    return file ? <FileCard file={file} openTestId={openTestId} /> : <span class="attribute-value muted">No file</span>;
  }
  if (value === null || value === '') return <span class="attribute-value muted">—</span>;
  switch (type) {
    case AttributeValueType.NOTE:
      return <div class="attribute-value note-view" dangerouslySetInnerHTML={hubSanitisedNote(value)} />;
    case AttributeValueType.LINK:
      return SAFE_LINK.test(value) ? (
        <a class="attribute-value link" href={value} target="_blank" rel="noopener noreferrer">
          {value}
        </a>
      ) : (
        <span class="attribute-value">{value}</span>
      );
    case AttributeValueType.BOOLEAN:
      return <span class="attribute-value">{value === 'true' ? 'Yes' : 'No'}</span>;
    default:
      return <span class="attribute-value text">{value}</span>;
  }
}

type FormatCommand = 'bold' | 'italic' | 'insertUnorderedList';

const FORMAT_BUTTONS: readonly { command: FormatCommand; label: string; text: JSX.Element | string; testId: string }[] = [
  { command: 'bold', label: 'Bold', text: <b>B</b>, testId: 'note-bold' },
  { command: 'italic', label: 'Italic', text: <i>I</i>, testId: 'note-italic' },
  { command: 'insertUnorderedList', label: 'Bulleted list', text: '• List', testId: 'note-list' },
];

// Keeps the editor's selection when a toolbar button is tapped: without it the button takes focus first.
const keepSelection = (e: Event) => e.preventDefault();

/** The caret as a count of characters from the editor's start, which formatting leaves unchanged. */
function caretOffset(root: HTMLElement): number | null {
  const selection = getSelection();
  if (!selection || selection.rangeCount === 0 || !selection.isCollapsed) return null;
  const caret = selection.getRangeAt(0);
  if (!root.contains(caret.startContainer)) return null;
  const before = document.createRange();
  before.selectNodeContents(root);
  before.setEnd(caret.startContainer, caret.startOffset);
  return before.toString().length;
}

function placeCaret(root: HTMLElement, offset: number): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let remaining = offset;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.textContent?.length ?? 0;
    if (remaining <= length) {
      getSelection()?.collapse(node, remaining);
      return;
    }
    remaining -= length;
  }
}

/**
 * A small rich-text editor over contenteditable. It starts from the hub's sanitised note (or its own earlier
 * output, when a form brings it back); whatever it produces is sanitised again by the hub on save.
 */
export function NoteEditor({ initialHtml, onChange }: { initialHtml: string; onChange(html: string): void }) {
  const ref = useRef<HTMLDivElement>(null);
  // Fixed at mount: the editable div owns its content from then on, Preact must not rewrite it.
  const [initial] = useState(() => hubSanitisedNote(initialHtml));
  const format = (command: FormatCommand) => {
    const editor = ref.current;
    if (!editor) return;
    editor.focus();
    const caret = caretOffset(editor);
    document.execCommand(command);
    // Chromium moves the caret to the start of a line it turns into a list item; put it back where it was.
    if (caret !== null && caretOffset(editor) !== caret) placeCaret(editor, caret);
    onChange(editor.innerHTML);
  };
  return (
    <div class="note-editor">
      <div class="note-toolbar" role="toolbar" aria-label="Formatting">
        {FORMAT_BUTTONS.map((b) => (
          <button key={b.command} type="button" class="secondary" aria-label={b.label} data-testid={b.testId} onMouseDown={keepSelection} onClick={() => format(b.command)}>
            {b.text}
          </button>
        ))}
      </div>
      <div
        ref={ref}
        class="note-editable"
        contentEditable
        role="textbox"
        aria-multiline="true"
        aria-label="Note"
        data-placeholder="Write a note…"
        data-testid="note-editor"
        dangerouslySetInnerHTML={initial}
        onInput={(e) => onChange(e.currentTarget.innerHTML)}
      />
    </div>
  );
}

/** The value a new editor starts from: what is stored, or the type's neutral value. */
export function initialDraft(type: AttributeValueType, value: string | null, choices: readonly string[] | null): string {
  if (type === AttributeValueType.SECRET) return '';
  if (type === AttributeValueType.BOOLEAN) return value === 'true' ? 'true' : 'false';
  if (type === AttributeValueType.ENUM) return value && choices?.includes(value) ? value : (choices?.[0] ?? '');
  return value ?? '';
}

const INPUT_MODES: Partial<Record<string, JSX.HTMLAttributes['inputMode']>> = {
  integer: 'numeric',
  float: 'decimal',
  link: 'url',
};

interface ValueInputProps {
  type: AttributeValueType;
  value: string;
  choices: readonly string[] | null;
  /** For a secret: whether one is stored, which the placeholder says. */
  hasValue?: boolean;
  testId: string;
  disabled?: boolean;
  onChange(value: string): void;
}

/** The control that edits a value of the given type; FILE is chosen with a file input instead. */
export function ValueInput({ type, value, choices, hasValue = false, testId, disabled, onChange }: ValueInputProps) {
  switch (type) {
    case AttributeValueType.NOTE:
      return <NoteEditor initialHtml={value} onChange={onChange} />;
    case AttributeValueType.BOOLEAN:
      return (
        <label class="switch-label">
          <input
            type="checkbox"
            role="switch"
            class="switch"
            data-testid={testId}
            checked={value === 'true'}
            disabled={disabled}
            onChange={(e) => onChange(e.currentTarget.checked ? 'true' : 'false')}
          />
          {value === 'true' ? 'Yes' : 'No'}
        </label>
      );
    case AttributeValueType.ENUM:
      return (
        <select data-testid={testId} aria-label="Value" value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value)}>
          {(choices ?? []).map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      );
    default: {
      const secret = type === AttributeValueType.SECRET;
      return (
        <input
          type={secret ? 'password' : 'text'}
          data-testid={testId}
          aria-label="Value"
          autoComplete={secret ? 'new-password' : 'off'}
          inputMode={INPUT_MODES[type.value]}
          placeholder={secret ? (hasValue ? 'Set — type to replace' : 'Not set') : type === AttributeValueType.LINK ? 'https://…' : undefined}
          value={value}
          disabled={disabled}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    }
  }
}
