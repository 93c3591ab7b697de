/**
 * A real redis-server (Debian's package; .ci/run installs it) for the queue tests and the queue
 * bench: on a free loopback port, its files in a temp dir, AOF on with an fsync after every
 * write (the README's recommended setting), so a server killed with SIGKILL and started again
 * on the same dir has every acknowledged write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** SIGKILL, then the same server on the same port and dir (its AOF replayed). */
  restart(): Promise<void>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function answers(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      // While the AOF is being loaded Redis answers LOADING: wait for a real PONG.
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > until) throw new Error(`redis-server did not answer at ${url}`);
    } finally {
      probe.disconnect();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ine-ocr-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'],
      { stdio: 'ignore' },
    );
    await answers(url, 15_000);
  };
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  };
  const kill = (): Promise<void> => halt('SIGKILL');
  const stop = (): Promise<void> => halt('SIGTERM');
  await start();
  return { url, port, dir, start, kill, stop, restart: async () => (await kill(), await start()) };
}
