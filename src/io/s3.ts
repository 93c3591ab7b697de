/**
 * Card images stored in S3 (or an S3-compatible store): `s3://bucket/key` URIs in a manifest,
 * read with GetObject so that workers on many machines need no shared filesystem.
 *
 * - Credentials and region: the AWS SDK's standard chain (AWS_ACCESS_KEY_ID/…, AWS_PROFILE,
 *   SSO, web identity, container/instance roles; AWS_REGION or the profile's region). The SDK
 *   is loaded on the first `s3://` image only: a run over local files never imports it.
 * - `endpoint`: a compatible store (MinIO, Ceph, a local test server); its objects are addressed
 *   path-style (`endpoint/bucket/key`), which such stores expect.
 * - An object is refused before its body is read when its length is over the limit (INOCR005),
 *   and the body is never read past the limit whatever the length said.
 * - Errors: a missing object or bucket is the card's "image not found" (INOCR002/INOCR003, as a
 *   missing file is); refused credentials or access (any 403) stop the run (RunError), because
 *   every later card would fail the same way (and S3 answers 403 for a missing key to an
 *   identity without s3:ListBucket); anything else the SDK gave up on (5xx past its retries,
 *   network, timeouts) is INOCR001 for the card, retried by the queue and by `batch --resume`.
 */
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { InocrError, RunError, type InocrCode } from '../errors.ts';

export interface S3Options {
  /** Endpoint URL of an S3-compatible store (path-style addressing); default: AWS S3. */
  readonly endpoint?: string;
  /** Region; default: AWS_REGION or the profile's region (the SDK chain). */
  readonly region?: string;
}

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/i;

/** `s3://…`: an image to fetch from S3 rather than a path. */
export function isS3Uri(p: string): boolean {
  return /^s3:\/\//i.test(p);
}

/** `s3://bucket/some/key.jpg` → bucket and key (the key as written: not percent-decoded, like the AWS CLI). */
export function parseS3Uri(uri: string): S3Location | undefined {
  const m = S3_URI.exec(uri);
  return m ? { bucket: m[1]!, key: m[2]! } : undefined;
}

type Side = 'front' | 'back';
const MISSING: Record<Side, InocrCode> = { front: 'INOCR002', back: 'INOCR003' };

/** Errors that mean the request will not be answered for this identity, whatever the object. */
const REFUSED = new Set([
  'CredentialsProviderError',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'TokenRefreshRequired',
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidToken',
]);
const NOT_FOUND = new Set(['NoSuchKey', 'NoSuchBucket', 'NotFound']);

interface SdkErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

/** An SDK failure reading `uri` → the card's error, or the run's. Messages name the error, never a body. */
export function classifyS3Error(err: unknown, uri: string, side: Side): InocrError | RunError {
  if (err instanceof InocrError || err instanceof RunError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkErrorLike;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]!.slice(0, 200) : String(err);
  if (NOT_FOUND.has(name) || status === 404) {
    return new InocrError(MISSING[side], `The ${side} image was not found: ${uri} (${name})`, { cause: err });
  }
  if (REFUSED.has(name) || status === 403 || status === 401) {
    return new RunError(
      `S3 refused to read ${uri}: ${name}${status ? ` (HTTP ${status})` : ''}: ${message}. Check the AWS credentials and that this identity ` +
        'may s3:GetObject in that bucket (without s3:ListBucket, S3 also answers 403 for an object that does not exist).',
      { cause: err },
    );
  }
  const tries = e.$metadata?.attempts && e.$metadata.attempts > 1 ? ` after ${e.$metadata.attempts} attempts` : '';
  return new InocrError('INOCR001', `Reading the ${side} image ${uri} from S3 failed${tries}: ${status ? `HTTP ${status} ` : ''}${name}: ${message}`, { cause: err });
}

function formatMb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** The body, refused as soon as it passes `maxBytes`. */
async function readLimited(body: Readable, maxBytes: number, tooBig: () => InocrError): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += b.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooBig();
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Reads `s3://` images; one client for the run, created on the first image. */
export class S3Images {
  private client: Promise<S3Client> | undefined;
  private readonly options: S3Options;

  constructor(options: S3Options = {}) {
    this.options = options;
  }

  /** The object's bytes (size-checked; content is checked by the reader). */
  async get(uri: string, side: Side, maxBytes: number): Promise<Buffer> {
    const loc = parseS3Uri(uri);
    if (!loc) throw new InocrError(MISSING[side], `The ${side} image URI is not s3://bucket/key: ${uri}`);
    const client = await this.open();
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const tooBig = (size?: number): InocrError =>
      new InocrError('INOCR005', `The ${side} image is ${size === undefined ? 'larger' : formatMb(size)}, over the ${formatMb(maxBytes)} limit: ${uri}`);
    let body: Readable;
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }));
      body = res.Body as Readable;
      if (res.ContentLength !== undefined && res.ContentLength > maxBytes) {
        body.destroy();
        throw tooBig(res.ContentLength);
      }
      const bytes = await readLimited(body, maxBytes, () => tooBig());
      if (bytes.length === 0) throw new InocrError('INOCR008', `The ${side} image file is empty (0 bytes): ${uri}`);
      return bytes;
    } catch (err) {
      throw classifyS3Error(err, uri, side);
    }
  }

  close(): void {
    void this.client?.then((c) => c.destroy()).catch(() => undefined);
    this.client = undefined;
  }

  private open(): Promise<S3Client> {
    this.client ??= this.create();
    return this.client;
  }

  private async create(): Promise<S3Client> {
    const { S3Client } = await import('@aws-sdk/client-s3');
    const { endpoint, region } = this.options;
    const client = new S3Client({
      ...(region ? { region } : {}),
      ...(endpoint ? { endpoint, forcePathStyle: true } : { followRegionRedirects: true }),
    });
    try {
      await client.config.region();
    } catch (err) {
      client.destroy();
      throw new RunError('No AWS region is set for S3: set AWS_REGION or a region in your AWS profile.', { cause: err });
    }
    return client;
  }
}
