/**
 * activ(1), the man page, in roff (man macros), generated from the same definitions as --help:
 * the program's options, synopsis and examples (program.ts) and the catalogue. `npm run build`
 * writes it to dist/man/activ.1 (write-man.ts); package.json's "man" installs it.
 */
import { catalogue } from '../kernels/registry.js';
import { defaultText, paramFlags } from './options.js';
import { DESCRIPTION, EXAMPLE_LIST, EXIT_TEXT, INPUTS_TEXT, optionDocs, SYNOPSIS } from './program.js';

/** Text for roff: backslashes and hyphens escaped, a leading dot or quote made literal. */
export function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1');
}

const bold = (s: string): string => `\\fB${roff(s)}\\fR`;

/** '-c, --columns <list>' with the names in bold and the value in italics. */
function flagsRoff(flags: string): string {
  return flags
    .split(/(<[^>]+>|\[[^\]]+\])/)
    .map((part) => (/^[<[]/.test(part) ? `\\fI${roff(part)}\\fR` : part.split(/(, )/).map((p) => (p === ', ' ? p : p ? bold(p) : '')).join('')))
    .join('');
}

export function manPage(version: string): string {
  const out: string[] = [];
  out.push(`.TH ACTIV 1 "" "activ ${roff(version)}" "User Commands"`);
  out.push('.SH NAME', `activ \\- ${roff(DESCRIPTION)}`);
  out.push('.SH SYNOPSIS');
  for (const s of SYNOPSIS) out.push('.nf', roff(s), '.fi', '.br');
  out.push('.SH DESCRIPTION', roff(INPUTS_TEXT));
  out.push('.SH OPTIONS');
  for (const o of optionDocs()) out.push('.TP', flagsRoff(o.flags), roff(o.description));
  out.push('.SH ACTIVATION PARAMETERS');
  out.push(roff('Each activation takes some of these flags (or the Keras call form, activ \'relu(alpha=0.1, max_value=6)\'); see activ describe NAME:'));
  out.push('.PP', paramFlags().map((f) => bold(f.flag)).join(' '));
  out.push('.SH ACTIVATIONS');
  for (const s of catalogue()) {
    const aliases = s.aliases.length ? ` (also ${s.aliases.join(', ')})` : '';
    const params = s.params.map((p) => `${p.name}=${defaultText(p)}`).join(' ');
    out.push('.TP', `${bold(s.name)}${roff(aliases)}${params ? ' ' + roff(params) : ''}`, roff(s.formula) + '.', '.br', roff(`Origin: ${s.origin}.`));
  }
  out.push('.SH EXAMPLES');
  for (const [cmd, what] of EXAMPLE_LIST) out.push('.TP', bold(cmd), roff(what));
  out.push('.SH EXIT STATUS', roff(EXIT_TEXT));
  out.push('.SH ENVIRONMENT');
  out.push('.TP', bold('NO_COLOR'), roff('When set, the progress line uses no terminal attributes.'));
  out.push('.TP', bold('ACTIV_THREADS'), roff('Threads for large files (default: the cores, at most 8; large NDJSON files take threads only while another core is idle); 1 keeps activ on one core.'));
  out.push('.SH SEE ALSO', roff('activ describe NAME, activ list, activ completion bash|zsh|fish.'));
  return out.join('\n') + '\n';
}
