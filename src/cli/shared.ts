/** What the CLI's commands share: exit codes and option parsers. */
import { mkdirSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { TextractEngineOptions } from '../engines/textract.ts';
import { DEFAULT_TEXTRACT_TPS } from '../engines/textract-limits.ts';
import { UsageError } from '../errors.ts';
import { DEFAULT_ENGINE } from '../pipeline/reader.ts';

/** Exit status: 0 every card ok; 1 some card failed (output still complete); 2 usage or run-level failure. */
export const EXIT = { ok: 0, cardFailed: 1, usage: 2 } as const;

export function parseMegabytes(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of megabytes');
  return Math.round(n * 1024 * 1024);
}

/** A whole number from `min` to `max`. */
export function parseWhole(min: number, max: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

/** A positive number of seconds. */
export function parseSeconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

export function parseWorkers(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}


/** `--save-face DIR`: the folder must exist or be creatable, checked before any card is read. */
export function prepareFaceDir(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UsageError(`Cannot create the --save-face folder ${dir}: ${(err as Error).message}`);
  }
  return dir;
}

/** Requests per second: a positive number (fractions allowed: 0.5 = one request every 2 s). */
export function parseRate(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1000) throw new InvalidArgumentError('expected a number of requests per second above 0 (at most 1000)');
  return n;
}

/** An http(s) URL (the Textract endpoint). */
export function parseEndpoint(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new InvalidArgumentError('expected a URL such as https://vpce-….textract.us-east-1.vpce.amazonaws.com');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new InvalidArgumentError('expected an http:// or https:// URL');
  return v;
}

export const ENGINES = ['local', 'paddle', 'tesseract', 'textract', 'hybrid'] as const;

export { DEFAULT_ENGINE };

/** Engines that read on this machine: no image is sent anywhere. */
export const OFFLINE_ENGINES: ReadonlySet<string> = new Set(['local', 'tesseract', 'paddle']);

/** The engine flags shared by `extract` and `batch`. */
export interface EngineFlags {
  engine: (typeof ENGINES)[number];
  textractEndpoint?: string;
  textractRegion?: string;
  textractTps: number;
}

export function addEngineOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--engine <name>', 'OCR engine: local (offline: PaddleOCR PP-OCRv4, with tesseract.js for names, addresses and re-reads); paddle (offline, PaddleOCR alone); tesseract (offline, tesseract.js alone); textract (AWS Textract: card images are sent to AWS); hybrid (local, then Textract only for sides that fail validation)')
        .choices(ENGINES as unknown as string[])
        .default(DEFAULT_ENGINE),
    )
    .addOption(new Option('--textract-endpoint <url>', "Textract endpoint URL (a VPC endpoint; default: the region's public endpoint)").argParser(parseEndpoint))
    .addOption(new Option('--textract-region <region>', "AWS region for Textract (default: AWS_REGION or the profile's region)"))
    .addOption(
      new Option('--textract-tps <n>', 'Textract requests per second, retries included (raise it to your account quota)')
        .argParser(parseRate)
        .default(DEFAULT_TEXTRACT_TPS),
    );
}

export const ENGINE_HELP = `
Engines: local (PaddleOCR PP-OCRv4 on onnxruntime-node, with tesseract.js beside it), paddle and
tesseract read offline: no image leaves this machine. textract and hybrid send card images
(personal data) to AWS Textract in your AWS account: textract sends every side (1
DetectDocumentText call per side, ~2 billed pages per card); hybrid sends only the sides the
local engines could not validate. Credentials and region come from the standard AWS chain
(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, AWS_PROFILE, SSO, instance or
container roles; AWS_REGION or the profile's region); AWS_MAX_ATTEMPTS bounds retries.
Rejected credentials stop the run (exit 2) instead of failing every card.`;

/** Reader settings from the engine flags; `concurrency`: Textract requests in flight. */
export function engineSettings(flags: EngineFlags, concurrency: number): { engine: EngineFlags['engine']; textract?: TextractEngineOptions } {
  if (OFFLINE_ENGINES.has(flags.engine)) return { engine: flags.engine };
  return {
    engine: flags.engine,
    textract: {
      concurrency,
      tps: flags.textractTps,
      ...(flags.textractEndpoint ? { endpoint: flags.textractEndpoint } : {}),
      ...(flags.textractRegion ? { region: flags.textractRegion } : {}),
    },
  };
}

/** `--s3-endpoint`: where `s3://` images are read from (the batch and the queue worker). */
export function addS3Options(cmd: Command): Command {
  return cmd.addOption(
    new Option('--s3-endpoint <url>', 'endpoint of an S3-compatible store for s3:// images, addressed path-style (default: AWS S3; credentials and region from the AWS chain)').argParser(parseEndpoint),
  );
}

export function s3Settings(flags: { s3Endpoint?: string }): { endpoint?: string } {
  return flags.s3Endpoint ? { endpoint: flags.s3Endpoint } : {};
}

/** One line on what the cloud engine was asked (stderr): calls and billed pages. */
export function formatCloudUsage(u: { engine: string; calls: number; billed: number; requests?: number }): string {
  const retries = u.requests !== undefined && u.requests > u.calls ? `, ${u.requests - u.calls} retried request(s)` : '';
  return `${u.engine}: ${u.calls} call(s), ${u.billed} billed page(s)${retries}`;
}
