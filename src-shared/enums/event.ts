import { defineLabeledEnum, type EnumMember } from './labeled-enum';

export const EventType = defineLabeledEnum(
  'EventType',
  {
    SECURITY: { label: 'Security', description: 'Someone or something where it should not be; safety hazards.' },
    MAINTENANCE: { label: 'Maintenance', description: 'Something needs care: a low battery, a leak, a device offline.' },
    INFORMATION: { label: 'Information', description: 'Worth knowing, nothing to do.' },
    AUTOMATION: { label: 'Automation', description: 'Runs control actions; raises no alarm by itself.' },
  },
  { default: 'INFORMATION' },
);
export type EventType = EnumMember<typeof EventType>;

export const ClauseOperator = defineLabeledEnum(
  'ClauseOperator',
  {
    EQ: { label: 'is', description: 'The value is exactly this text.' },
    NE: { label: 'is not', description: 'The value is anything but this text.' },
    LT: { label: 'is below', description: 'A number below this one.' },
    LTE: { label: 'is at most', description: 'A number at most this one.' },
    GT: { label: 'is above', description: 'A number above this one.' },
    GTE: { label: 'is at least', description: 'A number at least this one.' },
  },
  { default: 'EQ' },
);
export type ClauseOperator = EnumMember<typeof ClauseOperator>;

const NUMERIC = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

function numberOf(text: string | null): number | null {
  if (text === null || !NUMERIC.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * Whether `value` satisfies `operator target`. The numeric operators read both sides as numbers and simply do not
 * match when either is not one ("unavailable" is never below 20).
 */
export function clauseMatches(operator: ClauseOperator, value: string | null, target: string): boolean {
  switch (operator.value) {
    case 'eq':
      return value === target;
    case 'ne':
      return value !== null && value !== target;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const left = numberOf(value);
      const right = numberOf(target);
      if (left === null || right === null) return false;
      if (operator.value === 'lt') return left < right;
      if (operator.value === 'lte') return left <= right;
      if (operator.value === 'gt') return left > right;
      return left >= right;
    }
  }
}
