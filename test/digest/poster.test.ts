import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifyPostError, digestNonce, NONCE_CHARS } from '../../src/digest/poster.js';
import { RestDigestPoster } from '../../src/digest/rest-poster.js';
import type { DigestMessage } from '../../src/bot/render.js';
import { discordError } from './fakes.js';

test('nonces are deterministic per (channel, slot, part), distinct otherwise, and ≤ 25 characters', () => {
  const a = digestNonce('123456789012345678', '1741611600000', 0);
  assert.equal(a, digestNonce('123456789012345678', '1741611600000', 0));
  assert.equal(a.length, NONCE_CHARS);
  assert.notEqual(a, digestNonce('123456789012345678', '1741611600000', 1));
  assert.notEqual(a, digestNonce('123456789012345678', 'm1741611600000', 0));
  assert.notEqual(a, digestNonce('123456789012345679', '1741611600000', 0));
});

test('post failures are sorted into no-access, transient and permanent', () => {
  assert.equal(classifyPostError(discordError(403, 50013, 'Missing Permissions')).kind, 'no-access');
  assert.equal(classifyPostError(discordError(403, 50001, 'Missing Access')).kind, 'no-access');
  assert.equal(classifyPostError(discordError(404, 10003, 'Unknown Channel')).kind, 'no-access');
  assert.equal(classifyPostError(discordError(400, 50035, 'Invalid Form Body')).kind, 'permanent');
  assert.equal(classifyPostError(Object.assign(new Error('Internal Server Error'), { status: 502 })).kind, 'transient');
  assert.equal(classifyPostError(Object.assign(new Error('Too Many Requests'), { status: 429 })).kind, 'transient');
  assert.equal(classifyPostError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).kind, 'transient');
  assert.equal(classifyPostError(Object.assign(new Error('aborted'), { name: 'AbortError' })).kind, 'transient');
});

interface Received {
  url: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

async function fakeDiscord(answer: (req: Received, res: ServerResponse) => void): Promise<{ api: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString('utf8')));
    req.on('end', () => {
      const r = { url: req.url ?? '', auth: req.headers.authorization, body: data ? (JSON.parse(data) as Record<string, unknown>) : {} };
      received.push(r);
      answer(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { api: `http://127.0.0.1:${port}/api`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const payload: DigestMessage = { content: 'hello', embeds: [{ title: 't', description: 'd' }], allowed_mentions: { parse: [] } };

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

test('the REST poster posts to /channels/:id/messages with the nonce enforced and mentions off', async () => {
  const discord = await fakeDiscord((_r, res) => json(res, 200, { id: '5550001', channel_id: '123456789012345678' }));
  try {
    const poster = new RestDigestPoster({ token: 'test-token', api: discord.api });
    const result = await poster.post('123456789012345678', payload, 'abc123');
    assert.equal(result.id, '5550001');
    const [req] = discord.received;
    assert.equal(req!.url, '/api/v10/channels/123456789012345678/messages');
    assert.equal(req!.auth, 'Bot test-token');
    assert.equal(req!.body.nonce, 'abc123');
    assert.equal(req!.body.enforce_nonce, true);
    assert.deepEqual(req!.body.allowed_mentions, { parse: [] });
  } finally {
    await discord.close();
  }
});

test('the REST poster surfaces Missing Permissions as no-access and a 500 as transient', async () => {
  let status = 403;
  const discord = await fakeDiscord((_r, res) => (status === 403 ? json(res, 403, { message: 'Missing Permissions', code: 50013 }) : json(res, 500, { message: 'oops' })));
  try {
    const poster = new RestDigestPoster({ token: 't', api: discord.api });
    const denied = await poster.post('123456789012345678', payload, 'n1').then(() => null, (e: unknown) => e);
    assert.equal(classifyPostError(denied).kind, 'no-access');
    assert.equal(classifyPostError(denied).code, 50013);
    status = 500;
    const broken = await poster.post('123456789012345678', payload, 'n2').then(() => null, (e: unknown) => e);
    assert.equal(classifyPostError(broken).kind, 'transient');
    assert.equal(discord.received.length, 2, 'no hidden retries inside the REST client');
  } finally {
    await discord.close();
  }
});
