import { EntityType } from '../../../../src-shared/enums/entity';
import { IpcError, IpcErrorCode, type UpstreamFailureKind } from '../../../../src-shared/ipc/errors';
import { errorMessage } from '../../../components/format';

/** "the light", "the garage door": the item by its kind, as a sentence names it; acronyms keep their capitals. */
export function entityNoun(entityType: string): string {
  const label = EntityType.fromNameSafe(entityType).label;
  return `the ${/^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label}`;
}

const UPSTREAM_WORDS: Readonly<Record<UpstreamFailureKind, (integration: string, noun: string, reason: string | null) => string>> = {
  unreachable: (integration, noun) => `${integration} is unreachable; ${noun} was not changed.`,
  auth: (integration, noun) => `Sign-in to ${integration} failed; ${noun} was not changed.`,
  refused: (integration, noun, reason) => (reason ? `${integration} refused: ${reason}` : `${integration} refused to change ${noun}.`),
  protocol: (integration, noun) => `${integration} answered something this app cannot read; ${noun} was not changed.`,
};

/**
 * Why a control failed, in plain words built from the typed error and the kind of item: never a socket code.
 * A failure of the upstream names it ("Home Assistant is unreachable; the light was not changed."); a panel that
 * lost the hub says so; anything else is the hub's own sentence.
 */
export function controlFailureText(error: unknown, entityType: string): string {
  const noun = entityNoun(entityType);
  if (error instanceof IpcError) {
    if (error.upstream) return UPSTREAM_WORDS[error.upstream.kind](error.upstream.integration, noun, error.upstream.reason);
    // Without an upstream named, "unavailable" is the panel's own link to the hub.
    if (error.code === IpcErrorCode.UNAVAILABLE) return `The hub cannot be reached; ${noun} was not changed.`;
    if (error.code === IpcErrorCode.RATE_LIMITED) return `The hub is busy; ${noun} was not changed. Try again in a moment.`;
  }
  return errorMessage(error);
}
