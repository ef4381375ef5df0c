// The README's table of variables is what an operator reads: it must name every variable
// the schema reads, with the default the schema applies and the programs that read it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { environmentSchema, PROGRAM_ENVIRONMENTS, type Program, readEnvironment, type Variable } from './index';

const README = path.resolve(__dirname, '..', '..', '..', 'README.md');
const HEADER = '| variable | default | read by | meaning |';

interface Row {
  readonly variable: string;
  readonly defaultCell: string;
  readonly readBy: readonly string[];
}

/** The rows of the README's one table of variables. */
function readmeRows(): Row[] {
  const lines = readFileSync(README, 'utf8').split('\n');
  const start = lines.indexOf(HEADER);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(lines.filter((line) => line.startsWith('| variable |'))).toEqual([HEADER]);
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    rows.push({
      variable: /^`([A-Z0-9_]+)`$/.exec(cells[0] ?? '')?.[1] ?? `(not one variable: ${cells[0]})`,
      defaultCell: cells[1] ?? '',
      readBy: (cells[2] ?? '').split(',').map((program) => program.trim()),
    });
  }
  return rows;
}

/** How the README shows a default: the value in code, or "unset" for none (an empty list included). */
function shownDefault(value: unknown): string {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return 'unset';
  return `\`${String(value)}\``;
}

function programsReading(variable: Variable): Program[] {
  return (Object.keys(PROGRAM_ENVIRONMENTS) as Program[]).filter((program) => variable in PROGRAM_ENVIRONMENTS[program].shape);
}

describe("the README's table of variables", () => {
  const rows = readmeRows();
  const variables = Object.keys(environmentSchema.shape) as Variable[];

  it('names every variable the schema reads, once, and none that it lacks', () => {
    expect(rows.map((row) => row.variable).sort()).toEqual([...variables].sort());
  });

  it.each(variables)('shows the default of %s and the programs that read it', (variable) => {
    const row = rows.find((candidate) => candidate.variable === variable);
    const program = programsReading(variable)[0]!;
    const schemaDefault = (readEnvironment(program, {}) as Record<string, unknown>)[variable];

    // "unset (none)", "`86400` (24 h)", "unset: `off` with …": the default comes first, a gloss may follow.
    expect({ variable, default: /^(unset|`[^`]*`)/.exec(row?.defaultCell ?? '')?.[1] }).toEqual({ variable, default: shownDefault(schemaDefault) });
    expect({ variable, readBy: [...(row?.readBy ?? [])].sort() }).toEqual({ variable, readBy: programsReading(variable).sort() });
  });
});
