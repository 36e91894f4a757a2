import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../../src-shared/ipc/wire';
import { call, pdfFixture, storedFiles, unfinishedUploads } from '../../test-support/home-helpers';
import { MessageQueue } from '../../test-support/message-queue';
import { createTestHub, makeTempDir, type TestHub } from '../../test-support/test-hub';
import { PanelServer } from '../panel-server';

const WAIT_MS = 5_000;
const POLL_MS = 20;
const MAX_POLLS = 100;

describe('an upload whose panel disconnects', () => {
  let t: TestHub;

  beforeEach(async () => {
    t = await createTestHub();
  });
  afterEach(async () => {
    await t.close();
  });

  it('is dropped, leaving no partial file, while other panels’ uploads go on', async () => {
    const staticDir = makeTempDir('hi-static-');
    mkdirSync(path.join(staticDir, 'assets'));
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>panel</title>');
    const server = new PanelServer({ hub: t.hub, host: '127.0.0.1', port: 0, staticDir });
    const url = await server.listen();
    try {
      const socket = new WebSocket(`${url.replace('http:', 'ws:')}/ws`);
      const queue = new MessageQueue<ServerMessage>(WAIT_MS);
      socket.on('message', (raw) => queue.push(JSON.parse(raw.toString()) as ServerMessage));
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const ask = async (id: number, name: string, arg: unknown) => {
        socket.send(JSON.stringify({ t: 'req', id, name, arg }));
        return (await queue.next((m) => m.t === 'res' && m.id === id, name)) as ServerMessage & { ok: boolean; value: unknown };
      };
      const data = pdfFixture();
      const begun = await ask(1, 'file.upload.begin', { fileName: 'manual.pdf', size: data.length });
      const { uploadId } = begun.value as { uploadId: string };
      expect((await ask(2, 'file.upload.chunk', { uploadId, offset: 0, data: data.subarray(0, 100).toString('base64') })).ok).toBe(true);
      // This test's own panel has an upload open too; it is not the one that left.
      const { uploadId: ownUpload } = await call(t, 'file.upload.begin', { fileName: 'notes.txt', size: 5 });
      expect(unfinishedUploads(t).sort()).toEqual([ownUpload, uploadId].sort());

      socket.terminate();
      for (let i = 0; i < MAX_POLLS && unfinishedUploads(t).includes(uploadId); i++) await new Promise((r) => setTimeout(r, POLL_MS));

      expect(unfinishedUploads(t)).toEqual([ownUpload]);
      expect(storedFiles(t)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
