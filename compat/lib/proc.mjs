// Running a command with a time limit, its output captured.
import { spawn } from 'node:child_process';

/**
 * Runs `command` and resolves (never rejects) with its exit, output and duration. On time-out, the
 * whole process group is killed (worker processes included) and `timedOut` is set.
 * `onStdout(text, child)` sees the output as it comes (the REPL driver types through it).
 */
export function run(command, args, { cwd, env, timeout = 30_000, input, onStdout } = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill(child);
    }, timeout);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdin.on('error', () => {});
    if (input !== undefined) child.stdin.end(input);
    else if (!onStdout) child.stdin.end();
    const done = (code, signal, error) => {
      clearTimeout(timer);
      if (error) stderr += `${error.message}\n`;
      resolve({ code, signal, stdout, stderr, timedOut, ms: performance.now() - started });
    };
    child.on('error', (error) => done(null, null, error));
    child.on('close', (code, signal) => done(code, signal));
  });
}

/** Kills the child's process group (it was started detached, as the group's leader). */
function kill(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Runs a set-up step; throws with its output when it fails. */
export async function mustRun(command, args, options) {
  const result = await run(command, args, { timeout: 300_000, ...options });
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result;
}

/** Runs async tasks, at most `limit` at a time, in the order given. */
export async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  return results;
}
