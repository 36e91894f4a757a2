/** The two Electron IPC channels that carry the contract between preload and main; both sides import them from here. */
export const INVOKE_CHANNEL = 'hi:invoke';
export const EVENT_CHANNEL = 'hi:event';
