/**
 * Load test of `ine-ocr serve` on loopback: the real bin in its own process (real tesseract.js),
 * autocannon in this one, driving more concurrent requests than the server can hold.
 *
 *   npm run load-test                                   defaults below (a few minutes)
 *   npm run load-test -- --jobs 2 --queue 2 --amount 480 --rate 8      the README's run
 *
 * Connections default to 2 × the server's places (jobs reading + queue waiting), so some
 * requests must be turned away; each connection sends its next request when the last is
 * answered, at most `rate / connections` a second (default 1: a client retrying every second
 * after a 503). autocannon lowers the connections to the rate when the rate is lower. The run passes when the server does not crash, every request
 * is answered with a record (200) or 503 + Retry-After (nothing lost, no other status, no
 * connection error or timeout), and memory stays flat: the server's RSS (from /proc, or ps)
 * before the run, its peak and after it are printed. Exit 1 when it does not pass.
 * Never sends anything off the machine: the server listens on 127.0.0.1 only.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SEED_FIELDS } from '../src/record.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2' },
    queue: { type: 'string' },
    connections: { type: 'string' },
    amount: { type: 'string', default: '160' },
    rate: { type: 'string' },
  },
});
const jobs = Number(values.jobs);
const queue = values.queue === undefined ? jobs : Number(values.queue);
const places = jobs + queue;
const connections = values.connections === undefined ? 2 * places : Number(values.connections);
const amount = Number(values.amount);
const rate = values.rate === undefined ? connections : Number(values.rate);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'ine-ocr.js');
const SAMPLES = path.join(ROOT, 'samples');
const KEY = randomBytes(18).toString('base64url');

/** RSS of a process in MB: /proc on Linux, ps elsewhere. */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

/** A multipart/form-data body, as the seed's curl command sends it. */
function multipart(parts: { name: string; filename: string; bytes: Buffer }[]): { body: Buffer; type: string } {
  const boundary = `----ine-ocr-load-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: image/jpeg\r\n\r\n`));
    chunks.push(p.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<number> {
  const server = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '-j', String(jobs), '--queue', String(queue), '--log-level', 'warn'], {
    env: { ...process.env, INE_OCR_API_KEYS: KEY },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  let stderr = '';
  server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited: number | null | undefined;
  server.on('exit', (code) => (exited = code));
  try {
    let url = '';
    for (let i = 0; i < 1200 && !url && exited === undefined; i++) {
      url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1] ?? '';
      if (!url) await sleep(50);
    }
    if (!url) throw new Error(`the server did not start:\n${stderr}`);
    const pid = server.pid!;
    const rssStart = rssMb(pid);

    const cards = ['card-01', 'card-02', 'card-03', 'card-04'].map((id) => {
      const truth = JSON.parse(readFileSync(path.join(SAMPLES, `${id}.truth.json`), 'utf8')) as { fields: Record<string, string> };
      const { body, type } = multipart([
        { name: 'FrontImage', filename: `${id}_front.jpg`, bytes: readFileSync(path.join(SAMPLES, `${id}_front.jpg`)) },
        { name: 'BackImage', filename: `${id}_back.jpg`, bytes: readFileSync(path.join(SAMPLES, `${id}_back.jpg`)) },
      ]);
      return { id, idMex: truth.fields['idMex'] ?? '', body, type };
    });

    // Warm-up: the workers have read a card before RSS is taken as the baseline.
    const warm = await fetch(`${url}/api/ineocr/getineocr`, { method: 'POST', headers: { apikey: KEY, 'content-type': cards[0]!.type }, body: cards[0]!.body });
    if (warm.status !== 200) throw new Error(`warm-up answered ${warm.status}: ${await warm.text()}`);
    const rssBefore = rssMb(pid);

    let peak = rssBefore;
    /** RSS every 10 s: flat memory is a plateau, not a slope. */
    const timeline: number[] = [];
    let ticks = 0;
    const sampler = setInterval(() => {
      try {
        const now = rssMb(pid);
        peak = Math.max(peak, now);
        if (++ticks % 50 === 0) timeline.push(now);
      } catch {
        // the process is gone: reported below
      }
    }, 200);

    const statuses = new Map<number, number>();
    let records = 0;
    let exact = 0;
    let badRecords = 0;
    let busyWithoutRetryAfter = 0;
    const latency = new Map<number, number[]>();
    const requests = cards.map((c) => ({
      method: 'POST' as const,
      path: '/api/ineocr/getineocr',
      headers: { apikey: KEY, 'content-type': c.type, accept: 'application/json' },
      body: c.body,
      onResponse: (status: number, body: string, _context: object, headers: IncomingHttpHeaders | undefined) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 200) {
          try {
            const rec = JSON.parse(body) as Record<string, unknown>;
            if (SEED_FIELDS.every((f) => typeof rec[f] === 'string')) records++;
            else badRecords++;
            if (rec['idMex'] === c.idMex) exact++;
          } catch {
            badRecords++;
          }
        } else if (status === 503) {
          const ra = headers?.['retry-after'];
          if (!(Number(ra) >= 1)) busyWithoutRetryAfter++;
        }
      },
    }));

    process.stderr.write(
      `load test: ${amount} requests over ${connections} connections at ${rate} req/s against ${jobs} OCR worker(s) + ${queue} queued (${places} places)\n`,
    );
    const t0 = Date.now();
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ url, connections, amount, overallRate: rate, timeout: 180, requests }, (err, res) => (err ? reject(err as Error) : resolve(res)));
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        const l = latency.get(statusCode) ?? [];
        l.push(responseTime);
        latency.set(statusCode, l);
      });
    });
    const seconds = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    await sleep(5000);
    const crashed = exited !== undefined;
    const rssAfter = crashed ? NaN : rssMb(pid);

    const answered = [...statuses.values()].reduce((a, b) => a + b, 0);
    const other = [...statuses.entries()].filter(([s]) => s !== 200 && s !== 503);
    const ok = statuses.get(200) ?? 0;
    const busy = statuses.get(503) ?? 0;
    const fmt = (l: number[] | undefined): string => {
      const s = [...(l ?? [])].sort((a, b) => a - b);
      return s.length === 0 ? '-' : `p50 ${percentile(s, 50).toFixed(0)} ms, p90 ${percentile(s, 90).toFixed(0)} ms, p99 ${percentile(s, 99).toFixed(0)} ms, max ${s[s.length - 1]!.toFixed(0)} ms`;
    };
    const lines = [
      `duration            ${seconds.toFixed(1)} s`,
      `requests            ${amount} sent, ${answered} answered, ${result.errors} connection errors, ${result.timeouts} timeouts`,
      `200 records         ${ok} (${records} with every seed field, ${exact} with the sample's exact idMex, ${badRecords} malformed); ${((ok * 60) / seconds).toFixed(1)} cards/min`,
      `503 busy            ${busy} (${busyWithoutRetryAfter} without Retry-After)`,
      `other statuses      ${other.length === 0 ? 'none' : other.map(([s, n]) => `${s} ×${n}`).join(', ')}`,
      `latency 200         ${fmt(latency.get(200))}`,
      `latency 503         ${fmt(latency.get(503))}`,
      `server RSS          start ${rssStart.toFixed(0)} MB, before ${rssBefore.toFixed(0)} MB (after warm-up), peak ${peak.toFixed(0)} MB, after ${Number.isNaN(rssAfter) ? '-' : rssAfter.toFixed(0)} MB (5 s later)`,
      `server RSS every 10 s ${timeline.map((v) => v.toFixed(0)).join(', ')} MB`,
      `server              ${crashed ? `CRASHED (exit ${exited})` : 'still up'}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    const passed = !crashed && answered === amount && result.errors === 0 && result.timeouts === 0 && other.length === 0 && badRecords === 0 && busyWithoutRetryAfter === 0;
    process.stdout.write(passed ? 'PASS: no crash, every request answered with a record or 503 + Retry-After\n' : 'FAIL\n');
    return passed ? 0 : 1;
  } finally {
    if (exited === undefined) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }
}

process.exitCode = await main();
