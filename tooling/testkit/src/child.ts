import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Database, openDatabase } from '@baton/db';

/** Where a test database lives; enough for another process to open it. */
export type TestDatabaseLocation = { url?: string; sqlitePath?: string; pgSchema?: string };

export type ChildRun<T> = {
  readonly pid: number | undefined;
  /** Lets the child start its task and resolves with what it returned (rejects with its error). */
  go(): Promise<T>;
  kill(): void;
};

type ChildMessage =
  | { type: 'ready' }
  | { type: 'done'; result: unknown }
  | { type: 'error'; message: string; code?: string; stack?: string };

const ENV = 'BATON_TEST_CHILD';
const READY_TIMEOUT_MS = 30_000;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starts `script` (a module calling runChild) in a separate Node process against the same database and
 * resolves once it has opened the database, so that `go()` starts its work at a moment the caller
 * picks. On SQLite this is the only safe way to get a concurrent writer (better-sqlite3 busy-waits
 * synchronously, so two connections in one process block each other).
 */
export function spawnChild<T>(
  location: TestDatabaseLocation,
  script: string | URL,
  input?: unknown,
): Promise<ChildRun<T>> {
  const path = script instanceof URL || script.startsWith('file:') ? fileURLToPath(script) : script;
  const child: ChildProcess = fork(path, [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, [ENV]: JSON.stringify({ location, input: input ?? null }) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8_000);
  });
  child.stdout?.resume();

  let settle: ((message: ChildMessage) => void) | undefined;
  let exited: ((error: Error) => void) | undefined;
  const finished = new Promise<T>((resolve, reject) => {
    settle = (message) => {
      if (message.type === 'done') resolve(message.result as T);
      else if (message.type === 'error') {
        reject(
          Object.assign(new Error(`child ${path}: ${message.message}`), {
            code: message.code,
            childStack: message.stack,
          }),
        );
      }
    };
    exited = reject;
  });
  // Attach a handler so a child that fails before go() is called is not an unhandled rejection.
  finished.catch(() => undefined);

  return new Promise<ChildRun<T>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child ${path} was not ready within ${READY_TIMEOUT_MS} ms\n${stderr}`));
    }, READY_TIMEOUT_MS);
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve({
          pid: child.pid,
          go: () => {
            child.send({ type: 'go' });
            return finished;
          },
          kill: () => child.kill('SIGKILL'),
        });
      } else settle?.(message);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const error = new Error(`child ${path} exited (${signal ?? code}) before finishing\n${stderr}`);
      reject(error);
      exited?.(error);
    });
  });
}

/**
 * The child side of spawnChild: opens the database, reports ready, waits for go, runs `task`, closes
 * the database and hands the (JSON-serialisable) result back to the parent.
 */
export function runChild<I, T>(task: (database: Database, input: I) => Promise<T>): void {
  const send = (message: ChildMessage) =>
    new Promise<void>((resolve) => {
      if (process.send) process.send(message, () => resolve());
      else resolve();
    });
  const main = async () => {
    const raw = process.env[ENV];
    if (!raw || !process.send) throw new Error('runChild: start this script with spawnChild');
    const { location, input } = JSON.parse(raw) as { location: TestDatabaseLocation; input: I };
    const database = openDatabase({ ...location, poolMax: 4 });
    try {
      await database.ping();
      const go = new Promise<void>((resolve) => {
        process.once('message', () => resolve());
      });
      await send({ type: 'ready' });
      await go;
      const result = await task(database, input);
      await database.destroy();
      await send({ type: 'done', result });
    } catch (error) {
      await database.destroy().catch(() => undefined);
      throw error;
    }
  };
  main().then(
    () => process.exit(0),
    async (error: unknown) => {
      const failure = error as { message?: string; code?: string; stack?: string };
      await send({
        type: 'error',
        message: String(failure?.message ?? error),
        code: failure?.code,
        stack: failure?.stack,
      });
      process.exit(1);
    },
  );
}
