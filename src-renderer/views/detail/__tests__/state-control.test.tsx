import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { ENTITY_STATE_VALUES } from '../../../../src-shared/enums/entity';
import type { EntityStateView } from '../../../../src-shared/model/location';
import { describeState } from '../../../../src-shared/model/state-display';
import { StateControl } from '../StateControl';

const hvacMode = (value: string | null, choices: string[] | null): EntityStateView => ({
  id: 7,
  type: 'hvac_mode',
  name: 'HVAC mode',
  value,
  units: null,
  controllable: true,
  choices,
  ts: 1,
  stale: false,
  display: describeState('hvac_mode', value, null),
});

/** The options of the rendered select: [value, disabled]. */
function options(state: EntityStateView): Array<[string, boolean]> {
  const markup = render(<StateControl state={state} shown={state.value} pending={false} onSend={() => {}} />);
  return [...markup.matchAll(/<option([^>]*)>/g)].map(([, attributes]) => [/value="([^"]*)"/.exec(attributes!)![1]!, /\bdisabled\b/.test(attributes!)]);
}

describe('the HVAC mode control', () => {
  it('offers only the modes the device supports', () => {
    expect(options(hvacMode('heat', ['off', 'heat']))).toEqual([
      ['off', false],
      ['heat', false],
    ]);
  });

  it('offers every mode when the integration does not say', () => {
    expect(options(hvacMode('heat', null)).map(([value]) => value)).toEqual([...ENTITY_STATE_VALUES.hvac_mode]);
  });

  it('keeps a current mode that is not on offer visible, but not selectable', () => {
    expect(options(hvacMode('cool', ['off', 'heat']))).toEqual([
      ['cool', true],
      ['off', false],
      ['heat', false],
    ]);
  });
});
