/**
 * CPU seconds from /proc (Linux), for benchmarks on a shared machine: wall-clock time there
 * depends on what everyone else runs, the CPU a run used much less.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** utime, stime, cutime, cstime of a process, in seconds; undefined when it is gone. */
function statOf(pid: number | 'self'): { ppid: number; own: number; children: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces), from field 3 (state) on.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  const ticks = clockTicks();
  return { ppid: Number(fields[1]), own: (utime + stime) / ticks, children: (cutime + cstime) / ticks };
}

/** This process, plus the children it has reaped (git). */
export function ownCpuSeconds(): number {
  const stat = statOf('self');
  return stat ? stat.own + stat.children : 0;
}

function numericEntries(dir: string): number[] {
  return readdirSync(dir).filter(name => /^\d+$/.test(name)).map(Number);
}

const cmdlineOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

/**
 * A server process tree found by a string in its command line (e.g. PostgreSQL's `-D <data dir>`):
 * the server's own CPU, its exited children's and its live children's (the connection backends).
 */
export function serverCpuSeconds(commandLineMark: string): () => number {
  const mark = commandLineMark.replace(/ /g, '\0');
  let serverPid: number | undefined;
  return () => {
    serverPid ??= numericEntries('/proc').find(pid => cmdlineOf(pid).includes(mark));
    if (serverPid === undefined) return 0;
    const server = statOf(serverPid);
    if (!server) return 0;
    let total = server.own + server.children;
    for (const pid of numericEntries('/proc')) {
      const child = statOf(pid);
      if (child && child.ppid === serverPid) total += child.own + child.children;
    }
    return total;
  };
}
