import type { HandlerMap } from '../../ipc/router';
import type { EditManager } from './edit-manager';

export function editHandlers(edits: EditManager): HandlerMap<'edit.begin' | 'edit.end' | 'edit.undo'> {
  return {
    'edit.begin': (_, { panel }) => edits.begin(panel),
    'edit.end': (_, { panel }) => edits.end(panel),
    'edit.undo': (_, { panel }) => edits.undo(panel),
  };
}
