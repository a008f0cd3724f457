/**
 * `activ NAME [inputs...]`'s argument vector as main() reads it: commander's parse (program.ts),
 * or, when no argument starts with '-', the plain reading that commander gives for such a vector
 * (the activation, then the inputs, every option at its default) without loading commander:
 * issue 11's start-up, `activ relu small.csv`. test/cli/args.test.ts holds the two equal over
 * generated vectors.
 */
import { preprocessArgv } from './options.js';
import { paramFlags, type ParamFlag } from './param-flags.js';

/** The options that have a default (program.ts gives these to commander). */
export const OPTION_DEFAULTS = { headerOut: 'auto', dtype: 'float64', onInvalid: 'fail', jsonNonfinite: 'null' } as const;

export interface ParsedArgs {
  /** Options by commander's attribute name (maxValue), as commander's opts() gives them. */
  readonly o: Record<string, string | boolean | undefined>;
  /** As typed (negative numbers still wrapped: options.ts's unwrap). */
  readonly activation: string | undefined;
  readonly inputs: string[];
  /** The parameter flags the parse knew (none for the plain reading: its vector holds no flag). */
  readonly flags: readonly ParamFlag[];
}

/** The reading of a vector with no option in it, or undefined when commander must parse it. */
export function plainArgs(argv: readonly string[]): ParsedArgs | undefined {
  if (argv.some((a) => a.startsWith('-'))) return undefined;
  return { o: { ...OPTION_DEFAULTS }, activation: argv[0], inputs: argv.slice(1), flags: [] };
}

/** Commander's parse of the vector (after preprocessArgv). */
export async function commanderArgs(argv: readonly string[]): Promise<ParsedArgs> {
  const { buildProgram } = await import('./program.js');
  const flags = paramFlags();
  const program = buildProgram();
  program.parse(preprocessArgv(argv, flags), { from: 'user' });
  const [activation, inputs = []] = program.processedArgs as [string | undefined, string[] | undefined];
  return { o: program.opts<Record<string, string | boolean | undefined>>(), activation, inputs, flags };
}

/** The arguments of `activ NAME [options] [inputs...]`; commander is loaded only when an option may be there. */
export async function parseArgs(argv: readonly string[]): Promise<ParsedArgs> {
  return plainArgs(argv) ?? commanderArgs(argv);
}
