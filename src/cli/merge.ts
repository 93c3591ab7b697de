/**
 * `ine-ocr merge`: options, the report on stdout/stderr, exit codes. The work is mergeOutputs's.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.ts';
import { formatFromPath, OUTPUT_FORMATS, type OutputFormat } from '../io/writers.ts';
import { mergeOutputs, type MergeReport } from '../queue/merge.ts';
import { shardLabel } from '../queue/shard.ts';
import { EXIT } from './shared.ts';

interface MergeFlags {
  input: string;
  recursive?: boolean;
  output: string;
  format?: OutputFormat;
  bom?: boolean;
  partial?: boolean;
}

export function addMergeCommand(program: Command): void {
  program
    .command('merge')
    .description('Merge the outputs of sharded batch runs into one, checking that every card of the input appears exactly once')
    .argument('<outputs...>', 'the shards\' outputs (.csv, .json, .jsonl), e.g. out/cards.shard-*.csv')
    .requiredOption('--input <folder|manifest>', 'the input the shards read: it is planned again to know which cards to expect')
    .option('-r, --recursive', 'the shards read subfolders too (-r)')
    .requiredOption('-o, --output <file>', 'the merged output: .csv, .json or .jsonl')
    .addOption(new Option('--format <format>', 'output format (default: from the file extension)').choices(OUTPUT_FORMATS as string[]))
    .option('--bom', 'start a CSV with a UTF-8 BOM so Excel shows accents right')
    .option('--partial', 'write the rows there are even when cards are missing or repeated (each card once)')
    .addHelpText(
      'after',
      `
Every card the input plans to (folder pairing or manifest, as batch does) must have exactly one
row across the outputs. Each card missing, repeated or not in the plan is printed on stdout, one
per line: "missing<TAB>id<TAB>shard K-of-N", "duplicate<TAB>id<TAB>files", "unexpected<TAB>id<TAB>file".

Exit status: 0 every card once (whatever its status: the summary counts the failed ones);
1 cards missing, repeated or unexpected (nothing written unless --partial); 2 bad usage.

Example:
  ine-ocr merge out/cards.shard-*.csv --input scans/ -o all.csv`,
    )
    .action(async (outputs: string[], flags: MergeFlags) => {
      process.exitCode = await mergeAction(outputs, flags);
    });
}

async function mergeAction(outputs: string[], flags: MergeFlags): Promise<number> {
  const format = flags.format ?? formatFromPath(flags.output);
  if (!format) throw new UsageError(`Cannot tell the output format from "${flags.output}": use .csv, .json or .jsonl, or --format`);
  const report = await mergeOutputs({
    outputs,
    input: flags.input,
    recursive: flags.recursive === true,
    output: flags.output,
    format,
    bom: flags.bom === true,
    partial: flags.partial === true,
  });
  for (const m of report.missing) process.stdout.write(`missing\t${m.id}${m.shard ? `\tshard ${shardLabel(m.shard)}` : ''}\n`);
  for (const d of report.duplicated) process.stdout.write(`duplicate\t${d.id}\t${d.files.join(', ')}\n`);
  for (const u of report.unexpected) process.stdout.write(`unexpected\t${u.id}\t${u.file}\n`);
  process.stderr.write(formatMergeSummary(report, flags.output) + '\n');
  const complete = report.missing.length === 0 && report.duplicated.length === 0 && report.unexpected.length === 0;
  return complete ? EXIT.ok : EXIT.cardFailed;
}

export function formatMergeSummary(r: MergeReport, output: string): string {
  const codes = Object.entries(r.byCode)
    .sort()
    .map(([c, n]) => `${c} ×${n}`)
    .join(', ');
  const lines = [`ine-ocr: ${r.found} of ${r.expected} card(s) found once: ${r.ok} ok, ${r.found - r.ok} failed${codes ? ` (${codes})` : ''}`];
  for (const s of r.shardsWithoutOutput) lines.push(`ine-ocr: shard ${shardLabel(s)}: no output given`);
  if (r.missing.length > 0) lines.push(`ine-ocr: ${r.missing.length} card(s) missing (listed on stdout)`);
  if (r.duplicated.length > 0) lines.push(`ine-ocr: ${r.duplicated.length} card(s) in more than one row (listed on stdout)`);
  if (r.unexpected.length > 0) lines.push(`ine-ocr: ${r.unexpected.length} row(s) for cards not in the input's plan (listed on stdout)`);
  lines.push(r.saved ? `ine-ocr: ${r.written} row(s) in ${output}` : `ine-ocr: nothing written (--partial writes the rows there are)`);
  return lines.join('\n');
}
