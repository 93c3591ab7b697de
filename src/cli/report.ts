/**
 * `ine-ocr report`: option parsing and what is said on stderr. The work is buildReport's;
 * `batch --report` calls the same function after its run.
 */
import os from 'node:os';
import { Option, type Command } from 'commander';
import { buildReport, type ReportResult } from '../report/build.ts';
import type { RunInfo } from '../report/summary.ts';
import { EXIT, parseWorkers } from './shared.ts';

interface ReportFlags {
  output: string;
  jobs: number;
  progress?: boolean;
}

export function addReportCommand(program: Command): void {
  program
    .command('report')
    .description('Build a review page from batch results: each value beside the crop it was read from, doubtful cards first, corrections exported as CSV')
    .argument('<results>', 'the results of ine-ocr batch: .csv, .json or .jsonl')
    .requiredOption('-o, --output <dir>', 'folder to write index.html and its images into (new, empty, or an earlier report)')
    .addOption(new Option('-j, --jobs <n>', 'cards pictured at once').argParser(parseWorkers).default(Math.max(1, os.availableParallelism()), 'the cores available'))
    .option('--no-progress', 'no progress output on stderr')
    .addHelpText(
      'after',
      `
Images are read from the paths in the results: relative to the results file's folder, else to the
working directory. A missing image is shown as missing. The page works offline from file://,
makes no network request, and contains personal data: its files get the results file's permissions.

Exit status: 0 the page was written; 2 bad usage, or the results or the folder cannot be used.

Examples:
  ine-ocr report cards.csv -o review/
  ine-ocr batch scans/ -o cards.jsonl --report review/`,
    )
    .action(async (results: string, flags: ReportFlags) => {
      await reportAction(results, flags.output, flags.jobs, flags.progress !== false);
      process.exitCode = EXIT.ok;
    });
}

/** Builds the page with progress on stderr, then says where it is. Shared with `batch --report`. */
export async function reportAction(results: string, outDir: string, jobs: number, progress: boolean, run?: RunInfo): Promise<ReportResult> {
  let last = Date.now();
  const res = await buildReport({
    results,
    outDir,
    jobs,
    ...(run ? { run } : {}),
    onCard: (done, total) => {
      if (!progress || (Date.now() - last < 10_000 && done !== total) || total < 200) return;
      last = Date.now();
      process.stderr.write(`ine-ocr: report: ${done}/${total} cards pictured\n`);
    },
  });
  process.stderr.write(formatReport(res) + '\n');
  return res;
}

export function formatReport(r: ReportResult): string {
  const k = r.summary.kinds;
  const mb = (r.bytes / 1024 / 1024).toFixed(1);
  return (
    `ine-ocr: review page for ${r.summary.cards} card(s) (${k.ok} ok, ${k.flagged} flagged, ${k.failed} failed) in ${r.page}: ` +
    `${r.files} file(s), ${mb} MB, ${(r.elapsedMs / 1000).toFixed(1)} s. It contains personal data.`
  );
}
