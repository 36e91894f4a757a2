import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PanelKind } from '../../../../src-shared/enums';
import type { Snapshot } from '../../../../src-shared/ipc/contract';
import type { IpcResponse } from '../../../../src-shared/ipc/errors';
import { call, failure, unwrap, uploadBuffer } from '../../../test-support/home-helpers';
import { hugePlan } from '../../../test-support/huge-plan';
import { createTestHub, type TestHub } from '../../../test-support/test-hub';

describe('a huge floor plan does not hold up other panels', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await createTestHub();
    await call(t, 'edit.begin', {});
  });
  afterEach(async () => {
    await t.close();
  });

  it("answers another panel's hub.snapshot while a 300,000-element plan is being sanitised", async () => {
    const home = await call(t, 'location.create', { name: 'Home' });
    const uploadId = await uploadBuffer(t, 'huge.svg', hugePlan(300_000));
    const other = t.hub.panels.open(PanelKind.TEST, true, t.clock.now());
    const answered: string[] = [];
    const note = (what: string) => (response: IpcResponse) => {
      answered.push(what);
      return response;
    };

    const background = t.invoke('location.background.set', { locationId: home.id, uploadId }).then(note('background'));
    // One turn of the event loop: a sanitiser running on it would hold this turn until it had finished.
    await new Promise((resolve) => setImmediate(resolve));
    const snapshot = await t.invoke('hub.snapshot', {}, other).then(note('snapshot'));
    const refused = await background;

    expect(answered).toEqual(['snapshot', 'background']);
    expect(unwrap<Snapshot>(snapshot).panel.panelId).toBe(other.id);
    // The sanitiser's words reach the person who uploaded the file unchanged.
    expect(failure(refused)).toEqual({
      code: 'invalid_argument',
      message: 'huge.svg was refused: The drawing has more than 50,000 elements; the limit is 50,000.',
    });
  });
});
