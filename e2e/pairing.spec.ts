import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
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

/**
 * An HTTP proxy whose outgoing connections leave from LAN_ADDRESS, so a whole browser context looks like a tablet
 * on the LAN (Playwright sends even loopback traffic of a proxied context through the proxy). Pages keep their real
 * `Host` and `Origin`: the hub's own address.
 */
async function startLanProxy(): Promise<{ server: string; close(): Promise<void> }> {
  const tunnels = new Set<net.Socket>();
  const proxy = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers, localAddress: LAN_ADDRESS },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  // WebSockets go through CONNECT tunnels.
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const { hostname, port } = new URL(`http://${req.url}`);
    const upstream = net.connect({ host: hostname, port: Number(port), localAddress: LAN_ADDRESS }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on('close', () => tunnels.delete(socket));
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of tunnels) socket.destroy();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
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

test('the hub lists a paired tablet, renames it, and revoking it disconnects it at once', async ({ page, browser, server }) => {
  const hub = new Panel(page);
  await hub.open(server.url);
  await hub.openSettings('system');
  await expect(page.getByTestId('paired-panels')).toContainText('No tablet has paired yet');
  const code = (await page.getByTestId('pairing-code').textContent())?.trim() ?? '';

  const proxy = await startLanProxy();
  const tabletContext = await browser.newContext({ proxy: { server: proxy.server } });
  try {
    const tabletPage = await tabletContext.newPage();
    await tabletPage.goto(server.url);
    await tabletPage.getByTestId('pairing-input').fill(code);
    await tabletPage.getByTestId('pairing-submit').click();
    const tablet = new Panel(tabletPage);
    await expect(tabletPage.getByTestId('app-shell')).toBeVisible();
    await expect(tabletPage.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');

    // The hub's System tab follows without a reload.
    const row = page.getByTestId('paired-panel-row');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-connected', 'true');
    await expect(row.getByTestId('paired-panel-address')).toHaveText(LAN_ADDRESS);
    await row.getByTestId('paired-panel-name').fill('Hall tablet');
    await row.getByTestId('paired-panel-rename').click();
    await expect(row.getByTestId('paired-panel-name')).toHaveValue('Hall tablet');
    await expect(row.getByTestId('paired-panel-rename')).toBeDisabled();

    // The tablet sees the list but cannot manage it.
    await tablet.openSettings('system');
    await expect(tabletPage.getByTestId('paired-panel-row')).toContainText('Hall tablet');
    await expect(tabletPage.getByTestId('paired-panel-revoke')).toHaveCount(0);
    await expect(tabletPage.getByTestId('pairing-code')).toHaveCount(0);

    const box = await row.getByTestId('paired-panel-revoke').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
    await row.getByTestId('paired-panel-revoke').click();
    await page.getByTestId('confirm-panel-revoke-cancel').click();
    await expect(row).toHaveCount(1);
    await row.getByTestId('paired-panel-revoke').click();
    await page.getByTestId('confirm-panel-revoke').click();
    await expect(page.getByTestId('paired-panel-row')).toHaveCount(0);

    await expect(tabletPage.getByTestId('connection-state')).not.toHaveAttribute('data-state', 'connected');
    await tabletPage.reload();
    await expect(tabletPage.getByTestId('pairing-input')).toBeVisible();
  } finally {
    await tabletContext.close();
    await proxy.close();
  }
});
