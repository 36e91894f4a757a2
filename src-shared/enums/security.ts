import { defineLabeledEnum, type EnumMember } from './labeled-enum';

/** How much the home's sensors matter right now; alarm actions say which levels they apply to. */
export const SecurityLevel = defineLabeledEnum(
  'SecurityLevel',
  {
    HIGH: { label: 'High', description: 'Nobody should be moving about: the house is empty or asleep.' },
    LOW: { label: 'Low', description: 'People are home and about; only what matters by day raises alarms.' },
    OFF: { label: 'Off', description: 'Security alarms are off.' },
  },
  { default: 'OFF' },
);
export type SecurityLevel = EnumMember<typeof SecurityLevel>;

export const SecurityState = defineLabeledEnum(
  'SecurityState',
  {
    DISABLED: { label: 'Disabled', description: 'No security alarms, and no automatic day and night switching.' },
    DAY: { label: 'Day', description: 'Home during the day; switches to Night at the night-start time.' },
    NIGHT: { label: 'Night', description: 'Home at night; switches to Day at the day-start time.' },
    AWAY: { label: 'Away', description: 'Nobody home: every sensor matters, and new alerts are e-mailed.' },
  },
  { default: 'DISABLED' },
);
export type SecurityState = EnumMember<typeof SecurityState>;

const LEVELS: Readonly<Record<SecurityState['value'], SecurityLevel>> = {
  disabled: SecurityLevel.OFF,
  day: SecurityLevel.LOW,
  night: SecurityLevel.HIGH,
  away: SecurityLevel.HIGH,
};

export function securityLevelOf(state: SecurityState): SecurityLevel {
  return LEVELS[state.value];
}

/** Day and Night follow the clock; Away and Disabled stay until someone changes them. */
export function followsClock(state: SecurityState): boolean {
  return state === SecurityState.DAY || state === SecurityState.NIGHT;
}
