import { IpcError, IpcErrorCode } from '../../../src-shared/ipc/errors';
import { NAME_MAX_LENGTH } from '../../../src-shared/model/names';

/** What a collection name lacks, in plain words; null when it can be saved. */
export function collectionNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Give the collection a name.';
  if (trimmed.length > NAME_MAX_LENGTH) return `A name can be at most ${NAME_MAX_LENGTH} characters; this one has ${trimmed.length}.`;
  return null;
}

/** A failed collection change in plain words, from the hub's typed error; never a raw code. */
export function collectionErrorText(error: unknown, nothingChanged = 'Nothing was changed.'): string {
  if (!(error instanceof IpcError)) return `The hub did not answer (${error instanceof Error ? error.message : String(error)}). ${nothingChanged}`;
  switch (error.code) {
    case IpcErrorCode.INVALID_ARGUMENT: {
      const reasons = (error.issues ?? []).map((issue) => issue.message);
      return reasons.length > 0 ? `${reasons.join(' ')} ${nothingChanged}` : `The hub refused that change. ${nothingChanged}`;
    }
    case IpcErrorCode.NOT_FOUND:
      return `That collection or item no longer exists; another panel may have removed it. ${nothingChanged}`;
    case IpcErrorCode.UNAVAILABLE:
    case IpcErrorCode.RATE_LIMITED:
      return `The hub cannot take that right now; try again in a moment. ${nothingChanged}`;
    case IpcErrorCode.STORAGE_FULL:
      return `The hub's storage is full. ${nothingChanged}`;
    case IpcErrorCode.INTERNAL:
      return `The hub failed to make that change; its log has the details. ${nothingChanged}`;
    default:
      // Conflicts and refusals carry a sentence meant for people, such as "Turn on edit mode to change the plan."
      return `${error.message} ${nothingChanged}`;
  }
}
