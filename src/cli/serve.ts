/**
 * `ine-ocr serve`: options, keys, listen, and shutdown on SIGTERM/SIGINT. The service itself is
 * createServer's (src/server/app.ts); this file only wires it to the process.
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
import { CardReader } from '../pipeline/reader.ts';
import { createServer } from '../server/app.ts';
import { keysFromFile, keysFromList } from '../server/auth.ts';
import { addEngineOptions, ENGINE_HELP, engineSettings, EXIT, OFFLINE_ENGINES, parseMegabytes, parseSeconds, parseWhole, parseWorkers, type EngineFlags } from './shared.ts';

interface ServeFlags extends EngineFlags {
  port: number;
  host: string;
  apiKeysFile?: string;
  auth: boolean;
  jobs: number;
  queue?: number;
  timeout: number;
  maxSize: number;
  recycleAfter: number;
  seedFieldsOnly?: boolean;
  logLevel: string;
  shutdownTimeout: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function addServeCommand(program: Command): void {
  const cmd = program
    .command('serve')
    .description('Serve the seed INE-OCR API over HTTP on this machine: POST /api/ineocr/getineocr, POST /ocr/idcard, GET /health')
    .addOption(new Option('-p, --port <n>', 'TCP port (0: any free port)').argParser(parseWhole(0, 65535)).default(8080))
    .option('-H, --host <address>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--api-keys-file <file>', 'API keys, one per line (# comments); added to INE_OCR_API_KEYS (comma-separated)')
    .option('--no-auth', 'accept requests without an API key (without keys, serve refuses to start unless this is given)')
    .addOption(new Option('-j, --jobs <n>', 'cards read at once, and OCR workers').argParser(parseWorkers).default(Math.max(1, os.availableParallelism()), 'the cores available'))
    .addOption(new Option('--queue <n>', 'requests that may wait beyond those being read; more get 503 + Retry-After').argParser(parseWhole(0, 10_000)).default(undefined, '2 × jobs'))
    .addOption(new Option('--timeout <s>', "seconds from a request's arrival to its answer: still uploading then, 408; not read by then, 503").argParser(parseSeconds).default(60))
    .addOption(new Option('--max-size <MB>', 'largest image accepted, in MB').argParser(parseMegabytes).default(5 * 1024 * 1024, '5'))
    .addOption(new Option('--recycle-after <n>', 'restart each OCR worker after this many reads (0: never), to keep memory flat').argParser(parseWhole(0, 1_000_000)).default(200))
    .option('--seed-fields-only', "answer getineocr with the seed's 17 fields only (no extra fields, checks, warnings)")
    .addOption(new Option('--log-level <level>', 'JSON log lines on stdout from this level').choices(LOG_LEVELS).default('info'))
    .addOption(new Option('--shutdown-timeout <s>', 'on SIGTERM/SIGINT, seconds to let requests in flight finish').argParser(parseSeconds).default(30))
    .addHelpText(
      'after',
      `
Keys: INE_OCR_API_KEYS="key1,key2" and/or --api-keys-file FILE; clients send one in the
"apikey" header. A wrong or missing key gets 401 INOCR016.

Example (then the seed's curl command, README "Serve"):
  INE_OCR_API_KEYS=change-me ine-ocr serve --port 8080
${ENGINE_HELP}`,
    );
  addEngineOptions(cmd).action(async (flags: ServeFlags) => {
      process.exitCode = await serveAction(flags);
    });
}

function loadKeys(flags: ServeFlags): string[] | null {
  const keys = keysFromList(process.env['INE_OCR_API_KEYS']);
  if (flags.apiKeysFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.apiKeysFile, 'utf8');
    } catch (err) {
      throw new UsageError(`Cannot read the API keys file ${flags.apiKeysFile}: ${(err as Error).message}`);
    }
    const fromFile = keysFromFile(text);
    if (fromFile.length === 0) throw new UsageError(`The API keys file ${flags.apiKeysFile} holds no key`);
    keys.push(...fromFile);
  }
  if (!flags.auth) return null;
  if (keys.length === 0) {
    throw new UsageError('No API key configured: set INE_OCR_API_KEYS (comma-separated) or --api-keys-file FILE, or pass --no-auth to serve without keys');
  }
  return keys;
}

async function serveAction(flags: ServeFlags): Promise<number> {
  const keys = loadKeys(flags);
  const queue = flags.queue ?? 2 * flags.jobs;
  const reader = await CardReader.create({ ...engineSettings(flags, flags.jobs), workers: flags.jobs, maxBytes: flags.maxSize, recycleAfter: flags.recycleAfter });
  if (!OFFLINE_ENGINES.has(flags.engine)) process.stderr.write(`ine-ocr serve: engine ${flags.engine}: card images are sent to AWS Textract\n`);
  let closing: Promise<number> | undefined;
  try {
    const app = await createServer({
      reader,
      apiKeys: keys,
      maxBytes: flags.maxSize,
      concurrency: flags.jobs,
      queue,
      timeoutMs: flags.timeout * 1000,
      seedFieldsOnly: flags.seedFieldsOnly === true,
      logger: { level: flags.logLevel },
    });
    try {
      await app.listen({ port: flags.port, host: flags.host });
    } catch (err) {
      await app.close();
      throw new UsageError(`Cannot listen on ${flags.host}:${flags.port}: ${(err as Error).message}`);
    }
    const address = app.server.address();
    const where = typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : String(address);
    process.stderr.write(
      `ine-ocr serve: listening on ${where} (engine ${flags.engine}, ${flags.jobs} OCR worker(s), ${queue} waiting at most; ${keys ? `${keys.length} API key(s)` : 'NO AUTHENTICATION (--no-auth)'})\n`,
    );

    // First signal: stop taking requests, let those in flight finish, close the OCR engine.
    // A second signal, or the shutdown timeout, ends the process at once.
    const stopped = new Promise<number>((resolve) => {
      const onSignal = (signal: NodeJS.Signals): void => {
        if (closing) {
          process.stderr.write(`ine-ocr serve: ${signal} again, exiting now\n`);
          process.exit(signal === 'SIGINT' ? 130 : 143);
        }
        process.stderr.write(`ine-ocr serve: ${signal}: finishing the requests in flight (up to ${flags.shutdownTimeout} s), then exiting\n`);
        const timer = setTimeout(() => {
          process.stderr.write(`ine-ocr serve: requests still in flight after ${flags.shutdownTimeout} s, exiting\n`);
          process.exit(EXIT.cardFailed);
        }, flags.shutdownTimeout * 1000);
        timer.unref();
        closing = app.close().then(
          () => {
            clearTimeout(timer);
            return EXIT.ok;
          },
          (err: unknown) => {
            process.stderr.write(`ine-ocr serve: error while closing: ${(err as Error).message}\n`);
            return EXIT.cardFailed;
          },
        );
        resolve(closing);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    const code = await stopped;
    process.stderr.write('ine-ocr serve: stopped\n');
    return code;
  } finally {
    await reader.close();
  }
}
