import type { Kysely } from 'kysely';
import { IpcError } from '../../../src-shared/ipc/errors';
import type { EventBus } from '../../ipc/event-bus';
import type { PanelSession } from '../../ipc/panel-sessions';
import type { Database } from '../../store/schema';
import { AsyncMutex } from '../../util/async-mutex';
import { captureRows, restoreRows, type RowScope, type RowSnapshot } from './row-snapshot';

/** Undo reaches back this far; older steps are dropped. */
export const MAX_UNDO_STEPS = 200;

interface UndoStep {
  label: string;
  snapshot: RowSnapshot;
}

export interface EditState {
  editingPanelId: string | null;
  undoLabels: string[];
}

/**
 * Edit mode: one panel at a time may change the plan. Every change it makes is recorded as the rows it touched,
 * so each can be undone, in reverse order, until the panel leaves edit mode.
 */
export class EditManager {
  private editingPanelId: string | null = null;
  private undoStack: UndoStep[] = [];
  private readonly mutex = new AsyncMutex();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventBus,
  ) {}

  state(): EditState {
    return { editingPanelId: this.editingPanelId, undoLabels: this.undoStack.map((s) => s.label).reverse() };
  }

  begin(panel: PanelSession): EditState {
    if (this.editingPanelId !== null && this.editingPanelId !== panel.id) {
      throw IpcError.conflict('Another panel is editing the plan. Finish there first.');
    }
    if (this.editingPanelId === null) {
      this.editingPanelId = panel.id;
      this.undoStack = [];
      this.announce();
    }
    return this.state();
  }

  end(panel: PanelSession): EditState {
    if (this.editingPanelId === panel.id) {
      this.editingPanelId = null;
      this.undoStack = [];
      this.announce();
    }
    return this.state();
  }

  /** A panel that goes away leaves edit mode, so the plan does not stay locked. */
  panelClosed(panelId: string): void {
    if (this.editingPanelId === panelId) {
      this.editingPanelId = null;
      this.undoStack = [];
      this.announce();
    }
  }

  /**
   * Runs one edit for a panel in edit mode: captures the rows in `scopes` first, then applies the change. `scopes`
   * may be a function of the change's result, for edits that create rows.
   */
  record<T>(panel: PanelSession, label: string, scopes: readonly RowScope[], apply: () => Promise<T>, createdScopes?: (result: T) => RowScope[]): Promise<T> {
    return this.mutex.runExclusive(async () => {
      this.requireEditing(panel);
      const snapshot = await captureRows(this.db, scopes);
      const result = await apply();
      const created = createdScopes ? createdScopes(result).map((scope) => ({ scope, rows: [] })) : [];
      this.undoStack.push({ label, snapshot: { scopes: [...snapshot.scopes, ...created] } });
      if (this.undoStack.length > MAX_UNDO_STEPS) this.undoStack.shift();
      this.announce();
      return result;
    });
  }

  undo(panel: PanelSession): Promise<EditState> {
    return this.mutex.runExclusive(async () => {
      this.requireEditing(panel);
      const step = this.undoStack.pop();
      if (!step) throw IpcError.conflict('Nothing to undo.');
      await restoreRows(this.db, step.snapshot);
      this.announce();
      this.events.emit('home.changed', { reason: `undo: ${step.label}` });
      return this.state();
    });
  }

  requireEditing(panel: PanelSession): void {
    if (this.editingPanelId !== panel.id) throw IpcError.conflict('Turn on edit mode to change the plan.');
  }

  private announce(): void {
    this.events.emit('edit.changed', this.state());
  }
}
