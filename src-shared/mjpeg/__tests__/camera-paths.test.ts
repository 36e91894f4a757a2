import { describe, expect, it } from 'vitest';
import { cameraPath, eventPath, parseCameraPath } from '../camera-paths';

describe('camera paths', () => {
  it('reads back every path it builds, event ones with their event id', () => {
    expect(parseCameraPath(cameraPath('live', 12))).toEqual({ mode: 'live', entityId: 12 });
    expect(parseCameraPath(cameraPath('snapshot', 7))).toEqual({ mode: 'snapshot', entityId: 7 });
    expect(parseCameraPath(eventPath('event-play', 12, '4711'))).toEqual({ mode: 'event-play', entityId: 12, eventId: '4711' });
    expect(parseCameraPath(eventPath('event-thumbnail', 3, '9'))).toEqual({ mode: 'event-thumbnail', entityId: 3, eventId: '9' });
    expect(eventPath('event-play', 12, '4711', 'panel-1')).toBe('/event/12/4711/play?panel=panel-1');
  });

  it('refuses an event path whose ids are not positive whole numbers in digits, or whose part is unknown', () => {
    for (const path of ['/event/12/abc/play', '/event/12/0/play', '/event/12/-1/play', '/event/12/1e3/play', '/event/12/12/rewind', '/event/12/12', '/event/x/12/play', '/event/12/12/play/x', '/event/12/1234567890123456/play']) {
      expect(parseCameraPath(path), path).toBe('invalid');
    }
    expect(parseCameraPath('/events')).toBeNull();
  });
});
