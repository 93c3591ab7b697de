/**
 * A local stand-in for S3's GetObject, for tests and for trying `s3://` images without AWS. It
 * speaks the REST protocol path-style (`GET /bucket/key`, SigV4-signed requests only), answers
 * objects from memory with their length, and S3's XML errors (`NoSuchKey`, `NoSuchBucket`, or a
 * fault the caller scripts per object, e.g. 403 `InvalidAccessKeyId`). 127.0.0.1 only.
 *
 *   node dist/scripts/fake-s3.js --bucket cards --dir samples [--port 4598]
 *   AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 \
 *     node bin/ine-ocr.js batch manifest.csv --s3-endpoint http://127.0.0.1:4598
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface S3Fault {
  readonly status: number;
  readonly code: string;
}

export interface S3RequestSeen {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  /** The SigV4 credential scope (`test/20250101/us-east-1/s3/aws4_request`), '' when unsigned. */
  readonly credential: string;
  readonly status: number;
}

export interface FakeS3 {
  readonly url: string;
  readonly requests: S3RequestSeen[];
  put(bucket: string, key: string, bytes: Buffer): void;
  /** Decides a request's fault instead of the object store. */
  fault: ((bucket: string, key: string) => S3Fault | undefined) | undefined;
  close(): Promise<void>;
}

const xmlEscape = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function errorBody(code: string, resource: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message><Resource>${xmlEscape(resource)}</Resource><RequestId>fake-s3</RequestId></Error>`;
}

export async function startFakeS3(options: { port?: number } = {}): Promise<FakeS3> {
  const buckets = new Map<string, Map<string, Buffer>>();
  const requests: S3RequestSeen[] = [];
  const sockets = new Set<Socket>();
  const state: { fault: FakeS3['fault'] } = { fault: undefined };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const credential = /Credential=([^,]+)/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const answer = (status: number, code?: string): void => {
      requests.push({ method: req.method ?? '', bucket, key, credential, status });
      if (code) {
        res.writeHead(status, { 'content-type': 'application/xml' });
        res.end(req.method === 'HEAD' ? undefined : errorBody(code, url.pathname));
      }
    };
    if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 ')) return answer(403, 'AccessDenied');
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'MethodNotAllowed');
    const fault = state.fault?.(bucket, key);
    if (fault) return answer(fault.status, fault.code);
    const objects = buckets.get(decodeURIComponent(bucket));
    if (!objects) return answer(404, 'NoSuchBucket');
    const body = objects.get(key);
    if (!body) return answer(404, 'NoSuchKey');
    answer(200);
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(body.length),
      etag: `"${body.length.toString(16)}"`,
      'last-modified': new Date(0).toUTCString(),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    put: (bucket, key, bytes) => {
      const objects = buckets.get(bucket) ?? new Map<string, Buffer>();
      objects.set(key, bytes);
      buckets.set(bucket, objects);
    },
    get fault() {
      return state.fault;
    },
    set fault(f) {
      state.fault = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

// Run as a program: serve a folder's files as one bucket.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '4598' }, bucket: { type: 'string', default: 'cards' }, dir: { type: 'string', default: 'samples' } } });
  const s3 = await startFakeS3({ port: Number(values.port) });
  for (const name of readdirSync(values.dir)) s3.put(values.bucket, name, readFileSync(path.join(values.dir, name)));
  process.stdout.write(`fake S3 on ${s3.url}: s3://${values.bucket}/<file> for the files of ${values.dir}\n`);
}
