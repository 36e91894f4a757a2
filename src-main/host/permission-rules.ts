/**
 * What the kiosk window may do beyond a plain page: nothing. The panel needs no permission: alert sounds play
 * without one (autoplay is a command-line switch), the window goes full screen and keeps the display awake from the
 * main process, and tablets talk to the hub, not to devices. Camera, microphone, location, notifications, clipboard
 * reads, USB/HID/serial devices, opening external apps: all refused, whoever asks.
 */
export interface PermissionAsk {
  permission: string;
  /** The URL (or origin) of the frame that asks. */
  requestingUrl: string;
}

export interface PermissionDecision {
  granted: boolean;
  /** For the log: a request the panel never makes is worth a warning. */
  reason: string;
}

/** setPermissionRequestHandler: a page asks the user for a permission. */
export function decidePermissionRequest(ask: PermissionAsk): PermissionDecision {
  return { granted: false, reason: `Denied '${ask.permission}' to ${ask.requestingUrl || 'an unknown frame'}: the panel uses no permissions` };
}

/** setPermissionCheckHandler: Chromium asks whether a permission is already granted (often, and silently). */
export function decidePermissionCheck(_ask: PermissionAsk): boolean {
  return false;
}

export interface DeviceAsk {
  deviceType: string;
  origin: string;
}

/** setDevicePermissionHandler: no page gets a USB, HID or serial device. */
export function decideDevicePermission(_ask: DeviceAsk): boolean {
  return false;
}
