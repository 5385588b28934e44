export {
  createWorker,
  type OutboxHandler,
  type TickResult,
  type Worker,
  type WorkerJob,
  type WorkerOptions,
} from './worker.ts';
