import { defineLabeledEnum, type EnumMember } from './labeled-enum';

export * from './labeled-enum';

export const SettingType = defineLabeledEnum(
  'SettingType',
  {
    TEXT: { label: 'Text', description: 'Free text on one line.' },
    INTEGER: { label: 'Whole number', description: 'A whole number, optionally within a range.' },
    NUMBER: { label: 'Number', description: 'A decimal number, optionally within a range.' },
    BOOLEAN: { label: 'On / off', description: 'A switch.' },
    ENUM: { label: 'Choice', description: 'One of a fixed list of choices.' },
    SECRET: { label: 'Secret', description: 'A password or token: stored encrypted, never shown again.' },
    TIME_OF_DAY: { label: 'Time of day', description: 'A 24-hour time, HH:MM.' },
    TIMEZONE: { label: 'Time zone', description: 'An IANA time zone such as Europe/Berlin.' },
    LATITUDE: { label: 'Latitude', description: 'Degrees north (negative for south), -90 to 90.' },
    LONGITUDE: { label: 'Longitude', description: 'Degrees east (negative for west), -180 to 180.' },
    EMAIL_ADDRESS: { label: 'E-mail address', description: 'One e-mail address, such as home@example.com; empty when not set.' },
    EMAIL_ADDRESS_LIST: { label: 'E-mail addresses', description: 'E-mail addresses separated by commas; empty for none.' },
  },
  { default: 'TEXT' },
);
export type SettingType = EnumMember<typeof SettingType>;

export const ConfigPageType = defineLabeledEnum(
  'ConfigPageType',
  {
    SETTINGS: { label: 'Settings', description: 'Every module’s settings.' },
    INTEGRATIONS: { label: 'Integrations', description: 'Connections to Home Assistant, ZoneMinder, HomeBox and weather services.' },
    TRIGGERS: { label: 'Triggers', description: 'Events that raise alerts or run actions.' },
    SYSTEM: { label: 'System', description: 'Monitors, pairing and the effective runtime configuration.' },
  },
  { default: 'SETTINGS' },
);
export type ConfigPageType = EnumMember<typeof ConfigPageType>;

export const MonitorHealth = defineLabeledEnum(
  'MonitorHealth',
  {
    PENDING: { label: 'Pending', description: 'Registered, has not run yet.' },
    OK: { label: 'OK', description: 'The last run succeeded.' },
    ERROR: { label: 'Error', description: 'The last run failed.' },
    TIMED_OUT: { label: 'Timed out', description: 'The last run took longer than its timeout.' },
    SUPPRESSED: { label: 'Suppressed', description: 'Monitors are switched off by HI_SUPPRESS_MONITORS.' },
    STOPPED: { label: 'Stopped', description: 'The hub is shutting down.' },
  },
  { default: 'PENDING' },
);
export type MonitorHealth = EnumMember<typeof MonitorHealth>;

export const DisplayUnits = defineLabeledEnum(
  'DisplayUnits',
  {
    IMPERIAL: { label: 'Imperial', description: '°F, miles, inches.' },
    METRIC: { label: 'Metric', description: '°C, kilometres, millimetres.' },
  },
  { default: 'IMPERIAL' },
);
export type DisplayUnits = EnumMember<typeof DisplayUnits>;

export const Theme = defineLabeledEnum(
  'Theme',
  {
    LIGHT: { label: 'Light', description: 'Dark text on a light background.' },
    DARK: { label: 'Dark', description: 'Light text on a dark background, kinder at night.' },
  },
  { default: 'LIGHT' },
);
export type Theme = EnumMember<typeof Theme>;

export const WindowMode = defineLabeledEnum(
  'WindowMode',
  {
    WINDOWED: { label: 'Window', description: 'An ordinary window, for a desktop PC.' },
    FULLSCREEN: { label: 'Full screen', description: 'Full screen, leaving with the usual keys.' },
    KIOSK: { label: 'Kiosk', description: 'Locked full screen for a wall panel.' },
  },
  { default: 'WINDOWED' },
);
export type WindowMode = EnumMember<typeof WindowMode>;

export const PanelKind = defineLabeledEnum(
  'PanelKind',
  {
    ELECTRON: { label: 'Kiosk window', description: 'The Electron window on the hub itself.' },
    BROWSER: { label: 'Browser panel', description: 'A browser connected to the panel server.' },
    TEST: { label: 'Test', description: 'An in-process panel used by tests.' },
  },
  { default: 'BROWSER' },
);
export type PanelKind = EnumMember<typeof PanelKind>;

export const ConnectionState = defineLabeledEnum(
  'ConnectionState',
  {
    CONNECTING: { label: 'Connecting', description: 'Opening the first connection to the hub.' },
    CONNECTED: { label: 'Connected', description: 'Live.' },
    DISCONNECTED: { label: 'Connection lost', description: 'The hub cannot be reached; retrying.' },
  },
  { default: 'CONNECTING' },
);
export type ConnectionState = EnumMember<typeof ConnectionState>;
export * from './entity';

export const IntegrationHealth = defineLabeledEnum(
  'IntegrationHealth',
  {
    DISABLED: { label: 'Off', description: 'The integration is not enabled.' },
    PAUSED: { label: 'Paused', description: 'Enabled but paused: nothing is fetched or sent.' },
    CONNECTING: { label: 'Connecting', description: 'Connecting for the first time.' },
    OK: { label: 'OK', description: 'Connected and receiving updates.' },
    DEGRADED: { label: 'Degraded', description: 'Reachable, but some requests fail.' },
    UNREACHABLE: { label: 'Unreachable', description: 'The server cannot be reached; states shown are stale.' },
    AUTH_FAILED: { label: 'Sign-in failed', description: 'The server refused the token; enter a new one.' },
  },
  { default: 'DISABLED' },
);
export type IntegrationHealth = EnumMember<typeof IntegrationHealth>;
