import { randomUUID } from 'node:crypto';
import { PanelKind } from '../../src-shared/enums';
import type { PanelInfo } from '../../src-shared/model/system';

/** One per connected panel (the kiosk window, each browser): what that panel is looking at and may do. */
export interface PanelSession {
  readonly id: string;
  readonly kind: PanelKind;
  /** On the hub itself (the kiosk window or a loopback browser), as opposed to a paired LAN tablet. */
  readonly isLocal: boolean;
  readonly connectedAt: number;
  /** Shows the lock screen; the hub refuses its requests but the few the lock screen needs. */
  locked: boolean;
}

export class PanelSessionManager {
  private readonly sessions = new Map<string, PanelSession>();
  private lockOnOpen: () => boolean = () => false;

  /**
   * Whether a panel that connects starts locked (the console says so while a PIN is set): a reload or a second
   * browser must not be a way around the lock.
   */
  setLockOnOpen(policy: () => boolean): void {
    this.lockOnOpen = policy;
  }

  open(kind: PanelKind, isLocal: boolean, now: number): PanelSession {
    const session: PanelSession = { id: randomUUID(), kind, isLocal, connectedAt: now, locked: this.lockOnOpen() };
    this.sessions.set(session.id, session);
    return session;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  get count(): number {
    return this.sessions.size;
  }

  list(): PanelSession[] {
    return [...this.sessions.values()];
  }

  static info(session: PanelSession): PanelInfo {
    return { panelId: session.id, kind: session.kind.value, isLocal: session.isLocal };
  }
}
