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
}

export class PanelSessionManager {
  private readonly sessions = new Map<string, PanelSession>();

  open(kind: PanelKind, isLocal: boolean, now: number): PanelSession {
    const session: PanelSession = { id: randomUUID(), kind, isLocal, connectedAt: now };
    this.sessions.set(session.id, session);
    return session;
  }

  close(id: string): void {
    this.sessions.delete(id);
  }

  get count(): number {
    return this.sessions.size;
  }

  static info(session: PanelSession): PanelInfo {
    return { panelId: session.id, kind: session.kind.value, isLocal: session.isLocal };
  }
}
