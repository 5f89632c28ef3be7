import { spawn } from 'node:child_process';

/** How {@link runGit} runs git. @internal */
export interface RunGitOptions {
  /** Working directory, or a bare repository's directory. */
  cwd: string;
  /** Bytes written to git's standard input. */
  input?: string | Buffer;
  /** Extra environment, e.g. credentials as GIT_CONFIG_* (never on the command line). */
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 from `git diff --quiet`). */
  okExitCodes?: number[];
  /**
   * Keep at most this many bytes of standard output: past it git is stopped and the result says
   * `truncated`, so a caller that shows output (a diff) holds a bounded amount in memory.
   */
  maxOutputBytes?: number;
  /**
   * Receives standard output as it arrives, instead of `stdout` (which stays empty), for output
   * too big to hold. When it throws, git is stopped and the run fails with what it threw.
   */
  onStdout?: (chunk: Buffer) => void;
}

/** What git answered. @internal */
export interface GitOutput {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
  /** True when git was stopped at `maxOutputBytes`: `stdout` is its first bytes. */
  truncated?: boolean;
}

/**
 * A git command failed. The message carries git's own words (stderr), which never contain
 * credentials: those are passed through the environment, not the URL or arguments.
 *
 * @internal
 */
export class GitCommandError extends Error {
  readonly name = 'GitCommandError';
  constructor(
    readonly args: string[],
    readonly exitCode: number,
    readonly stderr: string,
    readonly stdout: string,
  ) {
    super(`git ${args[0]} failed (exit ${exitCode}): ${stderr.trim() || stdout.trim()}`);
  }
}

/**
 * Runs the system git. Cellplane drives git's plumbing (fast-import, cat-file --batch,
 * ls-tree) with streamed standard input, which the wrapper libraries do not offer, and
 * isomorphic-git cannot push to a repository on disk.
 *
 * @internal
 */
export function runGit(args: string[], options: RunGitOptions): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: {
        ...process.env,
        // Never stop to ask for a password, and answer in a language the code can parse.
        GIT_TERMINAL_PROMPT: '0',
        GIT_ASKPASS: '',
        SSH_ASKPASS: '',
        LC_ALL: 'C',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let truncated = false;
    let failure: { error: unknown } | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated || failure) return;
      if (options.onStdout) {
        try {
          options.onStdout(chunk);
        } catch (error) {
          failure = { error };
          child.kill();
        }
        return;
      }
      const limit = options.maxOutputBytes ?? Infinity;
      stdout.push(stdoutBytes + chunk.length > limit ? chunk.subarray(0, limit - stdoutBytes) : chunk);
      stdoutBytes += chunk.length;
      if (stdoutBytes > limit) {
        truncated = true;
        child.kill();
      }
    });
    child.stderr.on('data', chunk => stderr.push(chunk));
    child.on('error', error =>
      reject(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? new Error('git is not installed or not on PATH; Cellplane needs the git command line')
          : error,
      ),
    );
    child.on('close', code => {
      if (failure) {
        reject(failure.error);
        return;
      }
      const result = {
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode: code ?? -1,
        ...(truncated ? { truncated } : {}),
      };
      if (truncated || code === 0 || options.okExitCodes?.includes(code ?? -1)) {
        resolve(result);
      } else {
        reject(new GitCommandError(args, result.exitCode, result.stderr, result.stdout.toString('utf8')));
      }
    });
    child.stdin.on('error', () => {
      // git may exit before reading all input; the close handler reports why.
    });
    child.stdin.end(options.input ?? '');
  });
}

/** The trimmed text of a git command's standard output. @internal */
export async function gitText(args: string[], options: RunGitOptions): Promise<string> {
  return (await runGit(args, options)).stdout.toString('utf8').trim();
}
