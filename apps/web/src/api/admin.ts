import { api } from './client.ts';

// The administration APIs of the schedule engine (/api/schedules), the system settings (/api/settings) and a
// rule's latest runs (/api/rules/:pack/:key/runs).

export type TimerState = 'pending' | 'done' | 'failed' | 'cancelled';

export type ScheduleOccurrence = {
  dueAt: string;
  state: TimerState;
  attempts: number;
  lastError: string | null;
  doneAt: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
};

export type RecurringSchedule = {
  key: string;
  cron: string;
  timeZone: string;
  topic: string;
  enabled: boolean;
  nextDueAt: string | null;
  updatedAt: string;
  lastOccurrence: ScheduleOccurrence | null;
};

export type TimerCount = { topic: string; state: TimerState; count: number };

export type TimerItem = {
  id: string;
  topic: string;
  key: string;
  dueAt: string;
  state: TimerState;
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
};

export type AccessSettings = {
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  loginMaxFailures: number;
  lockMs: number;
  ipMaxFailures: number;
};

export type SystemSettings = {
  access: { values: AccessSettings; defaults: AccessSettings; updatedAt: string | null; updatedBy: string | null };
  upload: {
    values: { maxFileMb: number };
    defaults: { maxFileMb: number };
    ceilingMb: number;
    updatedAt: string | null;
    updatedBy: string | null;
  };
  deployment: {
    database: 'sqlite' | 'postgres';
    publicUrl: string | null;
    mail: { configured: boolean; host: string | null; from: string | null };
    redis: boolean;
    bodyLimit: number;
  } | null;
};

export type SettingsChanges = { access?: Partial<AccessSettings>; upload?: { maxFileMb: number } };

type Effect = { kind?: string; [name: string]: unknown };

export type RuleRun = {
  id: string;
  rule: string;
  version: number;
  eventType: string;
  subjectId: string;
  instanceId: string | null;
  record: { pack: string; key: string; id: string };
  state: 'applied' | 'compensated';
  effects: Effect[];
  compensation: Effect[] | null;
  appliedAt: string;
  compensatedAt: string | null;
};

const seg = encodeURIComponent;

export const adminApi = {
  schedules: () => api<{ schedules: RecurringSchedule[]; counts: TimerCount[]; now: string }>('/api/schedules'),
  timers: (query: { state: TimerState; topic?: string; cursor?: string; limit?: number }) =>
    api<{ items: TimerItem[]; nextCursor: string | null; now: string }>('/api/schedules/timers', { query }),
  setScheduleEnabled: (key: string, enabled: boolean) =>
    api<{ schedule: Omit<RecurringSchedule, 'lastOccurrence'>; changed: boolean }>(
      `/api/schedules/recurring/${seg(key)}/enabled`,
      { method: 'PUT', body: { enabled } },
    ),
  settings: () => api<SystemSettings>('/api/settings'),
  updateSettings: (changes: SettingsChanges) => api<SystemSettings>('/api/settings', { method: 'PUT', body: changes }),
  ruleRuns: (pack: string, key: string, limit = 20) =>
    api<{ runs: RuleRun[] }>(`/api/rules/${seg(pack)}/${seg(key)}/runs`, { query: { limit } }).then(
      (body) => body.runs,
    ),
};
