/**
 * Command-line options of the project's scripts (eval, bench, gen-corpus, …): node's parseArgs,
 * strict, with `--help` (`-h`) printing the script's usage, and a bad option answered with the
 * usage and exit status 2 instead of a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function scriptArgs<const O extends Options>(usage: string, options: O): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true }>>['values'] {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage.trim()}\n`);
    process.exit(0);
  }
  try {
    return parseArgs<{ args: string[]; options: O; strict: true }>({ args, options, strict: true }).values;
  } catch (err) {
    return usageError(usage, (err as Error).message);
  }
}

/** A bad option value, answered as a bad option is: the message, the usage, exit status 2. */
export function usageError(usage: string, message: string): never {
  process.stderr.write(`${message}\n\n${usage.trim()}\n`);
  process.exit(2);
}
