/**
 * `GET /healthz` for orchestrators (Docker's HEALTHCHECK, Kubernetes probes):
 * 200 only when the gateway is connected and the index is loaded, otherwise
 * 503 naming what is missing. Any other path is 404.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotLogger } from './command.js';

export interface HealthState {
  gateway: 'connected' | 'connecting' | 'disconnected';
  index: 'loaded' | 'loading' | 'failed';
  /** Documents in the loaded index (null until it is loaded). */
  documents: number | null;
  /** Shards connected out of all, when the bot runs more than one. */
  shards?: { connected: number; total: number };
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  gateway: HealthState['gateway'];
  index: HealthState['index'];
  documents: number | null;
  shards?: HealthState['shards'];
  /** What keeps the bot from being ready: 'gateway', 'index'. */
  missing?: string[];
}

export function healthReport(state: HealthState): HealthReport {
  const missing: string[] = [];
  if (state.gateway !== 'connected') missing.push('gateway');
  if (state.index !== 'loaded') missing.push('index');
  const base = { gateway: state.gateway, index: state.index, documents: state.documents, ...(state.shards ? { shards: state.shards } : {}) };
  return missing.length === 0 ? { status: 'ok', ...base } : { status: 'unavailable', ...base, missing };
}

export interface HealthServer {
  /** The port it listens on (the one chosen by the system when asked for 0). */
  port: number;
  close(): Promise<void>;
}

/** Listens on `port` (all interfaces, so a container's health check and probes reach it). */
export async function startHealthServer(port: number, state: () => HealthState, log: BotLogger): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/healthz' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found: try GET /healthz' }));
      return;
    }
    const report = healthReport(state());
    const body = JSON.stringify(report);
    response.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  // Probes open a connection per check; do not let idle ones hold the shutdown.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  log.info('health endpoint listening', { port: actual, path: '/healthz' });
  return {
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
