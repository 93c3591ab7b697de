/**
 * The command line: commander wiring and exit codes only. The work is done by the same
 * functions programmatic callers use (src/index.ts). Only this layer touches process.exit*,
 * stdout and stderr.
 */
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { CardReader, type ReaderOptions } from '../pipeline/reader.ts';
import { addBatchCommand } from './batch.ts';
import { addServeCommand } from './serve.ts';
import { EXIT, parseMegabytes } from './shared.ts';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

function engineOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--engine <name>', 'OCR engine: tesseract (offline, default)').choices(['tesseract']).default('tesseract'))
    .addOption(new Option('--max-size <MB>', 'largest image file accepted, in MB').argParser(parseMegabytes).default(5 * 1024 * 1024, '5'));
}

export function buildProgram(): Command {
  const program = new Command('ine-ocr')
    .description(
      'Read Mexican INE/IFE voter cards (front and back photos or scans) into validated, structured data.\n' +
        'Works offline: no image leaves this machine.',
    )
    .version(pkg.version)
    // Set before the subcommands are added: commander copies these settings to them then.
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ outputError: (str, write) => write(str) });

  engineOptions(
    program
      .command('extract')
      .description('Read one card and print its record as JSON on stdout')
      .argument('<front>', 'front (anverso) image: JPG/JPEG or PNG')
      .argument('<back>', 'back (reverso) image, with the MRZ: JPG/JPEG or PNG')
      .option('--id <id>', 'identifier to put in the record (default: derived from the file names)')
      .option('--compact', 'one-line JSON instead of indented'),
  )
    .addHelpText(
      'after',
      '\nExit status: 0 the card was read; 1 the card failed (the record says why, with an INOCR code);\n2 bad usage or the engine could not start.\n\nExample:\n  ine-ocr extract samples/card-01_front.jpg samples/card-01_back.jpg',
    )
    .action(async (front: string, back: string, opts: { id?: string; compact?: boolean; engine: string; maxSize: number }) => {
      const reader = await CardReader.create(readerOptions(opts, 1));
      try {
        const record = await reader.read({ id: opts.id ?? deriveId(front, back), front, back });
        process.stdout.write(JSON.stringify(record, null, opts.compact ? undefined : 2) + '\n');
        if (record.status !== 'ok') {
          process.stderr.write(`ine-ocr: ${record.errorCode}: ${record.errorMessage}\n`);
          process.exitCode = EXIT.cardFailed;
        }
      } finally {
        await reader.close();
      }
    });

  addBatchCommand(program);
  addServeCommand(program);
  return program;
}

function readerOptions(opts: { engine: string; maxSize: number }, workers: number): ReaderOptions {
  if (opts.engine !== 'tesseract') throw new UsageError(`Unknown engine: ${opts.engine}`);
  return { engine: 'tesseract', workers, maxBytes: opts.maxSize };
}

/** `dir/IMG_1_front.jpg` + `dir/IMG_1_back.jpg` → `IMG_1`. */
export function deriveId(front: string, back: string): string {
  const base = (p: string): string => (p.split(/[\\/]/).pop() ?? p).replace(/\.[^.]+$/, '');
  const a = base(front);
  const b = base(back);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const common = a.slice(0, i).replace(/[\s_\-.]+$/, '');
  return common.length >= 2 ? common : a;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    // Help or version asked for: 0. Anything else commander stops on (no command, a missing
    // argument, a bad option) is bad usage: 2.
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(`ine-ocr: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.usage;
  }
}
