/**
 * The commander pieces every activ command line is built from: a command that only parses, and
 * the parameter flags as options. Loaded only when commander parses (args.ts, check.ts, plot.ts).
 */
import { Command, Option } from 'commander';
import type { ParamFlag } from './param-flags.js';

/**
 * A commander command that only parses: no help of its own, no printing, errors thrown (activ
 * words every message itself). `argument`s stay optional so a missing one gets activ's message.
 */
export function quietCommand(name: string): Command {
  return new Command(name)
    .argument('[activation]')
    .helpOption(false)
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
}

/** Every parameter flag as a commander option (hidden from commander's own help). */
export function addParamOptions(cmd: Command, flags: readonly ParamFlag[]): void {
  for (const f of flags) cmd.addOption(new Option(f.boolean ? `${f.flag} [bool]` : `${f.flag} <value>`).hideHelp());
}
