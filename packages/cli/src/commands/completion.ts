import { Argument, type Command } from 'commander';
import { line, type CliIo } from '../io';

export function registerCompletion(program: Command, io: CliIo): void {
  program
    .command('completion')
    .summary('print a shell completion script (bash or zsh)')
    .description(
      "Print a completion script for warren's commands and options. bash: `source <(warren completion bash)` " +
        '(or add it to ~/.bashrc); zsh: `source <(warren completion zsh)` (or add it to ~/.zshrc).',
    )
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh']))
    .action((shell: 'bash' | 'zsh') => line(io.stdout, completionScript(program, shell)));
}

/** Every command path (`dlq replay`) with its options, read from the program itself: never out of date. */
export function commandWords(program: Command): Map<string, string[]> {
  const words = new Map<string, string[]>();
  const visit = (command: Command, path: string): void => {
    const children = command.commands.map((child) => child.name());
    const options = command.options.flatMap((option) => [option.long, option.short]).filter(Boolean) as string[];
    words.set(path, [...children, ...options, '--help']);
    for (const child of command.commands) visit(child, path ? `${path} ${child.name()}` : child.name());
  };
  visit(program, '');
  return words;
}

/** A bash script (`complete -F`); zsh runs it through `bashcompinit`. */
export function completionScript(program: Command, shell: 'bash' | 'zsh'): string {
  const cases = [...commandWords(program)]
    .map(([path, words]) => `    "${path}") words="${words.join(' ')}" ;;`)
    .join('\n');
  const bash = `_warren_completion() {
  local cur path word i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  path=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    case "\${path:+$path }$word" in
${[...commandWords(program).keys()]
  .filter(Boolean)
  .map((path) => `      "${path}") path="${path}" ;;`)
  .join('\n')}
    esac
  done
  local words=""
  case "$path" in
${cases}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  [[ \${#COMPREPLY[@]} -eq 0 ]] && COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _warren_completion warren`;
  if (shell === 'bash') return `# warren completion for bash: source <(warren completion bash)\n${bash}`;
  return `# warren completion for zsh: source <(warren completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash}`;
}
