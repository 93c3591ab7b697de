/**
 * The command line: commander wiring and exit codes only. The work is done by the same
 * functions programmatic callers use (src/index.ts). Only this layer touches process.exit*,
 * stdout and stderr.
 */
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { deriveId } from '../io/pairing.ts';
import { CardReader, type ReaderOptions } from '../pipeline/reader.ts';
import { addBatchCommand } from './batch.ts';
import { addMergeCommand } from './merge.ts';
import { addQueueCommand } from './queue.ts';
import { addReportCommand } from './report.ts';
import { addServeCommand } from './serve.ts';
import { addWorkerCommand } from './worker.ts';
import { addEngineOptions, ENGINE_HELP, engineSettings, EXIT, formatCloudUsage, parseMegabytes, prepareFaceDir, type EngineFlags } from './shared.ts';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

function engineOptions(cmd: Command): Command {
  return addEngineOptions(cmd).addOption(new Option('--max-size <MB>', 'largest image file accepted, in MB').argParser(parseMegabytes).default(5 * 1024 * 1024, '5'));
}

export function buildProgram(): Command {
  const program = new Command('ine-ocr')
    .description(
      'Read Mexican INE/IFE voter cards (front and back photos or scans) into validated, structured data.\n' +
        'Works offline by default: no image leaves this machine unless --engine textract or hybrid\n' +
        'sends card images to AWS Textract.',
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
      .option('--compact', 'one-line JSON instead of indented')
      .option('--save-face <dir>', "save the card's photo, cut from the front, as <dir>/<id>_face.jpg"),
  )
    .addHelpText(
      'after',
      '\nExit status: 0 the card was read; 1 the card failed (the record says why, with an INOCR code);\n2 bad usage, or the engine could not start or was refused (e.g. AWS credentials).\n' +
        ENGINE_HELP +
        '\n\nExamples:\n  ine-ocr extract samples/card-01_front.jpg samples/card-01_back.jpg\n  AWS_REGION=us-east-1 ine-ocr extract front.jpg back.jpg --engine textract',
    )
    .action(async (front: string, back: string, opts: EngineFlags & { id?: string; compact?: boolean; maxSize: number; saveFace?: string }) => {
      const faceDir = prepareFaceDir(opts.saveFace);
      const reader = await CardReader.create({ ...readerOptions(opts), ...(faceDir ? { saveFaceDir: faceDir } : {}) });
      try {
        const record = await reader.read({ id: opts.id ?? deriveId(front, back), front, back });
        process.stdout.write(JSON.stringify(record, null, opts.compact ? undefined : 2) + '\n');
        if (record.status !== 'ok') {
          process.stderr.write(`ine-ocr: ${record.errorCode}: ${record.errorMessage}\n`);
          process.exitCode = EXIT.cardFailed;
        }
      } finally {
        // What the card cost, when a cloud engine was used (stderr: stdout is the record).
        const usage = reader.cloudUsage();
        if (usage) process.stderr.write(`ine-ocr: ${formatCloudUsage(usage)}\n`);
        await reader.close();
      }
    });

  addBatchCommand(program);
  addReportCommand(program);
  addServeCommand(program);
  addMergeCommand(program);
  addQueueCommand(program);
  addWorkerCommand(program);
  return program;
}

/** One card: one tesseract worker; front and back may be sent to Textract at once. */
function readerOptions(opts: EngineFlags & { maxSize: number }): ReaderOptions {
  return { ...engineSettings(opts, 2), workers: 1, maxBytes: opts.maxSize };
}

export async function main(argv: readonly string[]): Promise<number> {
  // The AWS SDK warns on Node < 22 that its releases after January 2027 will need Node 22. That
  // is for whoever upgrades this project's dependencies, not for the person running a batch:
  // keep it off a CLI's stderr (an explicit setting of the variable is respected).
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
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
