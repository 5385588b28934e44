export {
  browseTimers,
  countTimers,
  listSchedules,
  type ScheduleOccurrence,
  type ScheduleOverview,
  setScheduleEnabled,
  type TimerCount,
} from './browse.ts';
export {
  addBusinessTime,
  type BusinessCalendar,
  type BusinessDuration,
  businessMinutesBetween,
  type CalendarInput,
  defineCalendar,
  isBusinessTime,
  isWorkingDay,
  nextBusinessTime,
} from './calendar.ts';
export { CHINA_2026, chinaCalendar2026 } from './china-2026.ts';
export { ScheduleErrors } from './errors.ts';
export { scheduleMigrations } from './migrations.ts';
export {
  defineSchedule,
  getSchedule,
  materialiseSchedules,
  nextOccurrence,
  occurrenceKey,
  type RecurringSchedule,
  removeSchedule,
  type ScheduleDefinition,
  type ScheduleInput,
  upsertSchedule,
} from './recurring.ts';
export { registeredTimerHandlers, registerTimerHandler, type TimerJobOptions, timerJob } from './registry.ts';
export type { RecurringTable, TimerTable } from './schema.ts';
export {
  type ClaimDueTimersInput,
  type ClaimedTimer,
  cancelTimer,
  cancelTimers,
  claimDueTimers,
  getTimer,
  listTimers,
  type RunDueTimersInput,
  type RunDueTimersResult,
  runDueTimers,
  type ScheduleTimerInput,
  type ScheduleTimerOutcome,
  scheduleTimer,
  type Timer,
  type TimerHandler,
  type TimerState,
  timerRetryDelayMs,
} from './timers.ts';
