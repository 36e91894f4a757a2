import http from 'node:http';
import WebSocket from 'ws';
import { expect, test } from './fixtures';
import { Panel } from './panel';

/** Requests leave from 127.0.0.2: still this machine, but not the hub's loopback address, so the server treats them as a LAN tablet. */
const LAN_ADDRESS = '127.0.0.2';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function lanRequest(url: string, options: { method?: string; body?: string; cookie?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.Cookie = options.cookie;
    if (options.body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const request = http.request(url, { method: options.method ?? 'GET', localAddress: LAN_ADDRESS, headers, timeout: 5_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(options.body);
  });
}

function lanSocket(url: string, cookie?: string): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace('http:', 'ws:') + '/ws', {
      localAddress: LAN_ADDRESS,
      headers: cookie ? { Cookie: cookie } : {},
      handshakeTimeout: 5_000,
    });
    socket.on('open', () => {
      socket.close();
      resolve({ opened: true });
    });
    socket.on('unexpected-response', (_, response) => {
      resolve({ opened: false, status: response.statusCode });
      socket.terminate();
    });
    socket.on('error', () => resolve({ opened: false }));
  });
}

test('a LAN client without the pairing code is refused, and pairing with the code lets it in', async ({ page, server }) => {
  const refused = await lanRequest(server.url + '/');
  expect(refused.status).toBe(401);
  expect(refused.body).toContain('Pair this panel');
  expect(refused.body).not.toContain('assets/index');
  expect((await lanRequest(server.url + '/healthz')).status).toBe(401);
  expect(await lanSocket(server.url)).toEqual({ opened: false, status: 401 });

  const wrong = await lanRequest(server.url + '/pair', { method: 'POST', body: 'code=000000x' });
  expect(wrong.status).toBe(401);
  expect(wrong.body).toContain('not right');

  // The code is shown on the hub itself (a loopback panel), never to a LAN client.
  const panel = new Panel(page);
  await panel.open(server.url);
  await panel.openSettings('system');
  const code = (await page.getByTestId('pairing-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^\d{6}$/);

  const paired = await lanRequest(server.url + '/pair', { method: 'POST', body: `code=${code}` });
  expect(paired.status).toBe(303);
  const setCookie = paired.headers['set-cookie']?.[0] ?? '';
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  const cookie = setCookie.split(';')[0]!;

  const allowed = await lanRequest(server.url + '/', { cookie });
  expect(allowed.status).toBe(200);
  expect(allowed.body).toContain('assets/index');
  expect(await lanSocket(server.url, cookie)).toEqual({ opened: true });
  expect(await lanSocket(server.url, 'hi_pair=forged-token')).toEqual({ opened: false, status: 401 });

  await page.getByTestId('close-settings').click();
  await panel.openSettings('system');
  await expect(page.getByTestId('pairing')).toContainText('Paired tablets: 1');
});

test('repeated wrong codes are throttled', async ({ server }) => {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 6; attempt++) {
    statuses.push((await lanRequest(server.url + '/pair', { method: 'POST', body: 'code=99999' })).status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
});
