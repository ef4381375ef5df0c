import type { z } from 'zod';
import { type Environment, environmentSchema, type Program, PROGRAM_ENVIRONMENTS, SHOWN_VALUE, type Variable } from './environment.schema';

/** Bad settings, one line per variable: `PORT must be a port number (0 to 65535), got "not-a-port"`. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
  }
}

/**
 * Reads and checks the variables `program` uses, once, at its start; throws a ConfigError
 * naming each bad one and what it accepts.
 */
export function readEnvironment<P extends Program>(program: P, env: Readonly<Record<string, string | undefined>>): Environment<P> {
  // Widened for the call: zod types each program's result, TypeScript cannot pick one by P.
  const schema: z.ZodType = PROGRAM_ENVIRONMENTS[program];
  const result = schema.safeParse(env);
  if (result.success) return result.data as Environment<P>;
  const lines = new Map<string, string>();
  for (const issue of result.error.issues) {
    const name = String(issue.path[0]) as Variable;
    if (!lines.has(name)) lines.set(name, problemLine(name, name, issue.message, env[name]));
  }
  throw new ConfigError([...lines.values()]);
}

/**
 * Reads a command-line option that stands for a variable (the store's `--port` for
 * EMBEDDED_STORE_PORT) by that variable's rules; unset or blank gives the variable's default.
 */
export function readOption<V extends Variable>(variable: V, option: string, value: string | undefined): z.output<(typeof environmentSchema.shape)[V]> {
  const schema: z.ZodType = environmentSchema.shape[variable];
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<(typeof environmentSchema.shape)[V]>;
  throw new ConfigError([problemLine(variable, option, result.error.issues[0]?.message ?? 'valid', value)]);
}

function problemLine(variable: Variable, label: string, accepts: string, value: string | undefined): string {
  const shown = value === undefined ? undefined : SHOWN_VALUE[variable](value.trim());
  return `${label} must be ${accepts}${shown === undefined ? '' : `, got ${shown}`}`;
}

/** A program stopped by a bad setting exits with 2, as with a usage error. */
export const EXIT_BAD_SETTING = 2;

/**
 * For a program's start: its settings, or each problem on stderr as one line
 * `<program>: <VARIABLE> must be …` and exit code 2, before anything has started.
 */
export function readEnvironmentOrExit<P extends Program>(program: P, env: Readonly<Record<string, string | undefined>> = process.env): Environment<P> {
  try {
    return readEnvironment(program, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(error.lines.map((line) => `${program}: ${line}\n`).join(''));
    process.exit(EXIT_BAD_SETTING);
  }
}
