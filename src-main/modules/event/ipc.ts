import type { HandlerMap } from '../../ipc/router';
import type { EventManager } from './event-manager';

type EventChannel = 'event.list' | 'event.create' | 'event.update' | 'event.delete' | 'event.test' | 'event.firings.list' | 'event.states.list';

export function eventHandlers(rules: EventManager): HandlerMap<EventChannel> {
  return {
    'event.list': () => rules.list(),
    'event.create': ({ definition }) => rules.create(definition),
    'event.update': ({ eventDefinitionId, definition }) => rules.update(eventDefinitionId, definition),
    'event.delete': async ({ eventDefinitionId }) => {
      await rules.delete(eventDefinitionId);
      return { ok: true as const };
    },
    'event.test': ({ eventDefinitionId }) => rules.test(eventDefinitionId),
    'event.firings.list': ({ eventDefinitionId }) => rules.firings(eventDefinitionId),
    'event.states.list': () => rules.stateOptions(),
  };
}
