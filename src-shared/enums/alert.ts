import { defineLabeledEnum, type EnumMember } from './labeled-enum';

export const AlarmLevel = defineLabeledEnum(
  'AlarmLevel',
  {
    NONE: { label: 'None', description: 'Recorded, but raises no alert.' },
    INFO: { label: 'Info', description: 'Worth knowing; no sound that repeats.' },
    WARNING: { label: 'Warning', description: 'Needs attention soon.' },
    CRITICAL: { label: 'Critical', description: 'Needs attention now: the sound repeats until someone acknowledges it.' },
  },
  { default: 'NONE' },
);
export type AlarmLevel = EnumMember<typeof AlarmLevel>;

const PRIORITIES: Readonly<Record<AlarmLevel['value'], number>> = { none: 0, info: 10, warning: 100, critical: 1000 };

/** Higher is more important: banners sort by it, and a full list drops the lowest first. */
export function alarmPriority(level: AlarmLevel): number {
  return PRIORITIES[level.value];
}

export const AlarmSource = defineLabeledEnum(
  'AlarmSource',
  {
    EVENT: { label: 'Event', description: 'A trigger rule matched sensor states.' },
    WEATHER: { label: 'Weather', description: 'A weather service issued an alert for the home’s area.' },
    CONSOLE: { label: 'Console', description: 'Raised on the panel itself.' },
    HEALTH_STATUS: { label: 'Health', description: 'An integration or the hub itself is not healthy.' },
    INTEGRATION: { label: 'Integration', description: 'Reported by an integration.' },
  },
  { default: 'EVENT' },
);
export type AlarmSource = EnumMember<typeof AlarmSource>;
