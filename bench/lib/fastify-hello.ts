import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export interface FastifyHelloFigure {
  /** Mean requests per second that a bare Fastify answers on this machine: the ceiling for any Baton route. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
  connections: number;
  seconds: number;
}

export interface FastifyHelloOptions {
  seconds?: number;
  connections?: number;
}

const SERVER = fileURLToPath(new URL('./hello-server.ts', import.meta.url));

/** Starts the hello-world server in a child process and loads it with autocannon from this one. */
export async function measureFastifyHello(options: FastifyHelloOptions = {}): Promise<FastifyHelloFigure> {
  const seconds = options.seconds ?? 5;
  const connections = options.connections ?? 50;
  // The child needs tsx whatever this process was started with (node --import tsx, vitest, …).
  const child = fork(SERVER, [], { execArgv: ['--import', import.meta.resolve('tsx')], stdio: 'inherit' });
  try {
    const url = await serverUrl(child);
    const result = await autocannon({ url, connections, duration: seconds, warmup: { connections, duration: 1 } });
    return {
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: result.requests.total,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      connections,
      seconds: result.duration,
    };
  } finally {
    if (child.connected) child.disconnect();
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  }
}

/** The URL the child reports once it listens; fails if it exits, errors or stays silent first. */
function serverUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      cleanup();
      resolve((message as { url: string }).url);
    };
    const onExit = (code: number | null) =>
      fail(new Error(`hello-world server exited (code ${code}) before listening`));
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error('hello-world server did not listen within 30 s')), 30_000);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', fail);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', fail);
  });
}
