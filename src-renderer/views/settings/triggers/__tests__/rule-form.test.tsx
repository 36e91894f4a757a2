import { describe, expect, it } from 'vitest';
import type { EventDefinitionView, RuleStateOption } from '../../../../../src-shared/model/event';
import { draftOf, emptyDraft, inputOf } from '../rule-form';

const door: RuleStateOption = { entityStateId: 4, entityId: 2, entityName: 'Front door', stateName: 'Open / closed', stateType: 'open_close', controllable: false, choices: ['open', 'closed'] };

const rule: EventDefinitionView = {
  id: 9,
  name: 'Door at night',
  eventType: 'security',
  eventWindowSecs: 60,
  dedupeWindowSecs: 120,
  enabled: true,
  isDefault: false,
  clauses: [{ entityStateId: 4, entityId: 2, entityName: 'Front door', stateName: 'Open / closed', operator: 'eq', value: 'open' }],
  alarmActions: [
    { securityLevel: 'high', alarmLevel: 'critical', lifetimeSecs: null },
    { securityLevel: 'low', alarmLevel: 'info', lifetimeSecs: 300 },
  ],
  controlActions: [],
  lastFiredAt: null,
};

describe('the rule editor’s draft', () => {
  it('round-trips a rule: minutes for lifetimes, blank for until acknowledged, none where no alarm', () => {
    const draft = draftOf(rule);
    expect(draft.alarms).toEqual({ high: { alarmLevel: 'critical', lifetimeMinutes: '' }, low: { alarmLevel: 'info', lifetimeMinutes: '5' }, off: { alarmLevel: 'none', lifetimeMinutes: '10' } });
    expect(inputOf(draft)).toEqual({
      input: { name: 'Door at night', eventType: 'security', eventWindowSecs: 60, dedupeWindowSecs: 120, enabled: true, clauses: [{ entityStateId: 4, operator: 'eq', value: 'open' }], alarmActions: rule.alarmActions, controlActions: [] },
    });
  });

  it('starts a new rule on the first state with its first value', () => {
    expect(emptyDraft([door]).clauses).toEqual([{ entityStateId: 4, operator: 'eq', value: 'open' }]);
  });

  it('says what is missing rather than sending it', () => {
    expect(inputOf({ ...draftOf(rule), name: ' ' })).toEqual({ error: 'Give the rule a name.' });
    expect(inputOf({ ...draftOf(rule), controlActions: [{ entityStateId: 5, value: '' }] })).toEqual({ error: 'Each condition and each action needs a value.' });
    const draft = draftOf(rule);
    expect(inputOf({ ...draft, alarms: { ...draft.alarms, low: { alarmLevel: 'info', lifetimeMinutes: 'soon' } } })).toEqual({ error: expect.stringMatching(/alarm at Low needs a number of minutes/) });
  });
});
