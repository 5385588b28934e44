import { defineError } from '@baton/core';

export const ScheduleErrors = {
  calendarInvalid: defineError('SCHEDULE_CALENDAR_INVALID', {
    status: 400,
    zh: '工作日历定义有误，请检查标出的字段',
    en: 'The business calendar is invalid; check the marked fields',
  }),
  noBusinessTime: defineError('SCHEDULE_CALENDAR_NO_BUSINESS_TIME', {
    status: 422,
    zh: '工作日历在 {from} 之后 {days} 天内没有任何工作时间',
    en: 'The business calendar has no business time within {days} days of {from}',
  }),
  cronInvalid: defineError('SCHEDULE_CRON_INVALID', {
    status: 400,
    zh: '定时表达式 {cron} 无效：{reason}',
    en: 'The cron expression {cron} is invalid: {reason}',
  }),
  scheduleNotFound: defineError('SCHEDULE_NOT_FOUND', {
    status: 404,
    zh: '找不到定时任务 {key}',
    en: 'Schedule {key} was not found',
  }),
  leaseExpired: defineError('SCHEDULE_TIMER_LEASE_EXPIRED', {
    status: 409,
    zh: '定时器 {key} 的处理超过了租约时间（{leaseMs} 毫秒），已回滚，稍后重试',
    en: 'Handling timer {key} outlasted its lease ({leaseMs} ms); it was rolled back and will be retried',
  }),
} as const;
