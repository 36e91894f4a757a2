import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveTestHub, type ServedHub } from '../../test-support/served-hub';

const chime = path.resolve(__dirname, '../../../src-renderer/assets/sounds/chime.wav');

describe('PanelServer alert sounds', () => {
  let served: ServedHub;
  let url: string;

  beforeEach(async () => {
    served = await serveTestHub((staticDir) => {
      mkdirSync(path.join(staticDir, 'assets'));
      copyFileSync(chime, path.join(staticDir, 'assets', 'chime-abc123.wav'));
    });
    url = served.url;
  });

  afterEach(() => served.close());

  it('serves a built sound as audio/wav, which a browser with nosniff will play', async () => {
    const response = await fetch(`${url}/assets/chime-abc123.wav`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(44);
  });
});
