/**
 * `activ completion bash|zsh|fish`: shell completion scripts generated from the program's
 * options (program.ts) and the catalogue: subcommands, activation names and aliases, options and
 * their values, and after an activation its own parameter flags. zsh runs the bash function
 * through bashcompinit (zsh's own emulation of bash's `complete`).
 */
import { ActivError } from '../errors.js';
import { catalogue } from '../kernels/registry.js';
import { optionDocs } from './program.js';

const SUBCOMMANDS = ['list', 'describe', 'check', 'plot', 'completion', 'help'];
const FORMATS = 'csv tsv json ndjson text';

/** Values an option takes, where they are a fixed set. */
const VALUES: Record<string, string> = {
  '--from': FORMATS,
  '--to': FORMATS,
  '--on-invalid': 'fail skip keep null',
  '--json-nonfinite': 'null string',
  '--header-out': 'auto never',
};

interface Vocabulary {
  names: string[];
  options: string[];
  valued: string[];
  /** Per activation (its key: lower case, no dashes or underscores): its parameter flags. */
  params: Map<string, string[]>;
}

const key = (name: string): string => name.replace(/[-_]/g, '').toLowerCase();
const flag = (p: string): string => `--${p.replace(/_/g, '-')}`;

function vocabulary(): Vocabulary {
  const docs = optionDocs();
  const params = new Map<string, string[]>();
  const names: string[] = [];
  const valued = new Set(docs.filter((o) => o.value).flatMap((o) => o.names));
  for (const s of catalogue()) {
    const flags = s.params.flatMap((p) => [p.name, ...(p.aliases ?? [])].map(flag));
    for (const p of s.params) if (p.kind !== 'boolean') for (const n of [p.name, ...(p.aliases ?? [])]) valued.add(flag(n));
    for (const n of [s.name, ...s.aliases]) {
      names.push(n);
      params.set(key(n), flags);
    }
  }
  return { names, options: docs.flatMap((o) => o.names), valued: [...valued], params };
}

function bash(v: Vocabulary): string {
  const cases = [...v.params].filter(([, f]) => f.length > 0).map(([k, f]) => `    ${k}) echo '${f.join(' ')}' ;;`);
  const values = Object.entries(VALUES).map(([o, vals]) => `      ${o}) COMPREPLY=($(compgen -W '${vals}' -- "$cur")) ;;`);
  return `# activ completion for bash. Load it with: source <(activ completion bash)
# or save it as ~/.local/share/bash-completion/completions/activ
_activ_params() {
  case "$1" in
${cases.join('\n')}
  esac
}

_activ() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local valued=' ${v.valued.join(' ')} '
  local act='' i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      --) break ;;
      -*) [[ "$w" != *=* && "$valued" == *" $w "* ]] && ((i++)) ;;
      *) act="$w"; break ;;
    esac
  done
  if [[ "$cur" != -* && "$valued" == *" $prev "* ]]; then
    case "$prev" in
${values.join('\n')}
      -o|--output) COMPREPLY=($(compgen -f -- "$cur")) ;;
      *) COMPREPLY=() ;;
    esac
    return
  fi
  case "$act" in
    '')
      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W '${v.options.join(' ')}' -- "$cur"))
      else COMPREPLY=($(compgen -W '${[...SUBCOMMANDS, ...v.names].join(' ')}' -- "$cur")); fi
      return ;;
    list) COMPREPLY=($(compgen -W '--to' -- "$cur")); return ;;
    describe|help|plot|check) COMPREPLY=($(compgen -W '${v.names.join(' ')}' -- "$cur")); return ;;
    completion) COMPREPLY=($(compgen -W 'bash zsh fish' -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    local k="\${act%%(*}"
    k="\${k,,}"
    k="\${k//[-_]/}"
    COMPREPLY=($(compgen -W "${v.options.join(' ')} $(_activ_params "$k")" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _activ activ
`;
}

function zsh(v: Vocabulary): string {
  return `#compdef activ
# activ completion for zsh, through zsh's bash-completion emulation.
# Load it with: source <(activ completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(v).split('\n').slice(2).join('\n')}`;
}

function fish(v: Vocabulary): string {
  const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const lines = [
    '# activ completion for fish. Load it with: activ completion fish | source',
    '# or save it as ~/.config/fish/completions/activ.fish',
    'complete -c activ -e',
    `complete -c activ -n __fish_use_subcommand -f -a '${[...SUBCOMMANDS, ...v.names].join(' ')}'`,
    `complete -c activ -n '__fish_seen_subcommand_from describe help' -f -a '${v.names.join(' ')}'`,
    "complete -c activ -n '__fish_seen_subcommand_from completion' -f -a 'bash zsh fish'",
  ];
  for (const o of optionDocs()) {
    const long = o.names.find((n) => n.startsWith('--'))!.slice(2);
    const short = o.names.find((n) => !n.startsWith('--'))?.slice(1);
    const vals = VALUES[`--${long}`];
    lines.push(
      `complete -c activ -l ${long}${short ? ` -s ${short}` : ''}${o.value ? ' -r' : ''}${vals ? ` -f -a '${vals}'` : ''} -d '${esc(o.description)}'`,
    );
  }
  for (const s of catalogue()) {
    for (const p of s.params) {
      for (const n of [p.name, ...(p.aliases ?? [])]) {
        lines.push(`complete -c activ -n '__fish_seen_subcommand_from ${[s.name, ...s.aliases].join(' ')}' -l ${n.replace(/_/g, '-')}${p.kind === 'boolean' ? '' : ' -r'} -d '${esc(p.doc)}'`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

export function completionScript(shell: string | undefined): string {
  const v = vocabulary();
  switch (shell) {
    case 'bash':
      return bash(v);
    case 'zsh':
      return zsh(v);
    case 'fish':
      return fish(v);
    default:
      throw new ActivError(`usage: activ completion bash|zsh|fish${shell ? ` ('${shell}' is not one of them)` : ''}`);
  }
}
