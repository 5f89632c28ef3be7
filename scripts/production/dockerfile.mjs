// What the image's last stage (packages/backend/Dockerfile) copies from the build context and
// which command it runs: `yarn start:production` lays out and starts the same, so the browser
// tests exercise the Dockerfile's runtime part, not a copy of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Dockerfile's instructions, stage by stage (continuation lines joined, comments dropped). */
export function parseDockerfile(text) {
  const stages = [];
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, rest] = line.match(/^(\S+)\s*(.*)$/);
    const instruction = { op: op.toUpperCase(), rest };
    if (instruction.op === 'FROM') stages.push({ from: rest, instructions: [] });
    else if (stages.length) stages.at(-1).instructions.push(instruction);
  }
  return stages;
}

/** A COPY's --flags, sources and destination (shell form; the JSON form is not used here). */
export function parseCopy(rest) {
  const words = rest.split(/\s+/);
  const flags = Object.fromEntries(
    words.filter(w => w.startsWith('--')).map(w => w.slice(2).split('=')).map(([k, v]) => [k, v ?? true]),
  );
  const paths = words.filter(w => !w.startsWith('--'));
  return { flags, sources: paths.slice(0, -1), destination: paths.at(-1) };
}

/** The last stage: what it copies from the build context, and its command. */
export function runtimeStage(root) {
  const stages = parseDockerfile(readFileSync(join(root, 'packages/backend/Dockerfile'), 'utf8'));
  const last = stages.at(-1);
  const copies = last.instructions
    .filter(i => i.op === 'COPY')
    .map(i => parseCopy(i.rest))
    .filter(c => !c.flags.from);
  const cmd = last.instructions.filter(i => i.op === 'CMD').at(-1);
  const env = Object.fromEntries(
    last.instructions
      .filter(i => i.op === 'ENV')
      .map(i => i.rest.match(/^(\S+?)=(.*)$/))
      .map(([, k, v]) => [k, v.replace(/^"(.*)"$/, '$1')]),
  );
  return { copies, command: cmd ? JSON.parse(cmd.rest) : undefined, env, workdir: last.instructions.filter(i => i.op === 'WORKDIR').at(-1)?.rest };
}
