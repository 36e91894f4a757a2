import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { HiTransport } from '../../src-shared/ipc/bridge';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels';

type Listener = (payload: unknown) => void;

const listeners = new Map<string, Set<Listener>>();

function dispatch(_event: IpcRendererEvent, name: string, payload: unknown): void {
  for (const listener of [...(listeners.get(name) ?? [])]) {
    // One failing subscriber must not starve the others.
    try {
      listener(payload);
    } catch (error) {
      console.error(`hi: listener for ${name} failed`, error);
    }
  }
}

// Exactly window.hi: never ipcRenderer itself, which would let the page call any channel.
const api = {
  invoke: (name, arg) => ipcRenderer.invoke(INVOKE_CHANNEL, name, arg),
  on(name, listener) {
    if (listeners.size === 0) ipcRenderer.on(EVENT_CHANNEL, dispatch);
    let named = listeners.get(name);
    if (!named) listeners.set(name, (named = new Set()));
    const entry = listener as Listener;
    named.add(entry);
    const subscribed = named;
    return () => {
      if (!subscribed.delete(entry)) return;
      if (subscribed.size === 0) listeners.delete(name);
      if (listeners.size === 0) ipcRenderer.removeListener(EVENT_CHANNEL, dispatch);
    };
  },
} satisfies HiTransport;

contextBridge.exposeInMainWorld('hi', api);
