// `pipegate <command> [sub-command] --help`: usage, one line per option and examples, from each command's data.
import type { Command, SubcommandHelp } from './command.js';

/** Options several commands share (the store options of cli-target, --server, --json). */
export const COMMON_OPTIONS: Readonly<Record<string, string>> = {
  '--environment NAME': 'environment to act on (default PIPEGATE_ENVIRONMENT, else "test")',
  '--realm NAME': 'token realm (default PIPEGATE_REALM, else "local")',
  '--data-dir DIR': 'data folder of the embedded store and master key (default ./.pipegate)',
  '--store URL':
    'store URL: sqlite:FILE or postgres://… (default PIPEGATE_STORE, else the embedded SQLite file)',
  '--json': 'print JSON instead of text',
  '--server URL':
    'act through a running server’s admin listener (e.g. http://127.0.0.1:8081; password in PIPEGATE_ADMIN_PASSWORD)',
  '--config FILE': 'pipegate.yaml to read (default ./pipegate.yaml, or PIPEGATE_CONFIG)',
  '--limit N': 'at most N rows (default 50)',
  '--cursor C': 'continue a listing from the nextCursor of the previous page',
  '--since ISO|15m':
    'from this time: ISO 8601, epoch ms, or a duration back from now (15m, 2h, 7d)',
  '--until ISO|15m': 'up to this time (same forms as --since)',
};

/** Text shown for a flag nobody described (a command added without help data still lists it). */
const UNDESCRIBED = 'see docs/cli.md';

/** The flags named in a usage line, with their argument (`--since ISO|EPOCH|15m`), in order. */
export function usageFlags(usage: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of usage.matchAll(
    /(?<![\w-])(--[a-z][a-z0-9-]*)(?:[ =]((?:[A-Z][A-Z0-9_.]*|\d+[a-z]?|[A-Z0-9]+)(?:\|[A-Za-z0-9_.]+)*)(?![a-z]))?/g,
  )) {
    const flag = m[1]!;
    if (seen.has(flag)) continue;
    seen.add(flag);
    out.push(m[2] ? `${flag} ${m[2]}` : flag);
  }
  return out;
}

const flagOf = (spec: string): string => spec.split(/[ =]/)[0]!;

/** Option lines: the described options, then any other flag of the usage line. */
function optionLines(help: {
  usage: string;
  options?: Readonly<Record<string, string>>;
}): string[] {
  const described = new Map<string, [string, string]>();
  for (const [spec, text] of Object.entries(help.options ?? {}))
    described.set(flagOf(spec), [spec, text]);
  for (const spec of usageFlags(help.usage)) {
    const flag = flagOf(spec);
    if (described.has(flag)) continue;
    const common = Object.entries(COMMON_OPTIONS).find(([s]) => flagOf(s) === flag);
    described.set(flag, [spec, common?.[1] ?? UNDESCRIBED]);
  }
  const rows = [...described.values()];
  const width = Math.min(30, Math.max(0, ...rows.map(([spec]) => spec.length)));
  return rows.map(([spec, text]) => `  ${spec.padEnd(width)}  ${text}`);
}

function render(title: string, help: SubcommandHelp, extra: string[] = []): string {
  const options = optionLines(help);
  const parts = [`${title}\n\nUsage: ${help.usage}\n`];
  if (extra.length > 0) parts.push(`\n${extra.join('\n')}\n`);
  parts.push(`\nOptions:\n${options.length > 0 ? options.join('\n') : '  (none)'}\n`);
  if (help.examples && help.examples.length > 0)
    parts.push(`\nExamples:\n${help.examples.map((e) => `  ${e}`).join('\n')}\n`);
  return parts.join('');
}

/** The help of `command`, or of its sub-command named first in `argv` (`tokens usage --help`). */
export function commandHelp(command: Command, argv: readonly string[] = []): string {
  const subName = argv.find((a) => !a.startsWith('-'));
  const sub = subName === undefined ? undefined : command.subcommands?.[subName];
  if (sub) return render(sub.summary, sub);
  const subs = Object.entries(command.subcommands ?? {});
  const width = Math.max(0, ...subs.map(([n]) => n.length));
  const extra =
    subs.length > 0
      ? [
          'Sub-commands:',
          ...subs.map(([n, s]) => `  ${n.padEnd(width)}  ${s.summary}`),
          '',
          `Run "pipegate ${command.name} <sub-command> --help" for its options.`,
        ]
      : [];
  return render(command.summary, command, extra);
}
