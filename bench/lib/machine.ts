import os from 'node:os';

export interface MachineFacts {
  cpuCount: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  sqlite: string;
  postgres: string;
}

/** Facts that decide how figures from two machines compare; the database versions come from the run itself. */
export function machineFacts(versions: { sqlite: string; postgres: string }): MachineFacts {
  return {
    cpuCount: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    sqlite: versions.sqlite,
    postgres: versions.postgres,
  };
}
