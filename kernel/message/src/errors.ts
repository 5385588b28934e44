import { defineError } from '@baton/core';

export const MessageErrors = {
  notFound: defineError('MESSAGE_NOT_FOUND', {
    status: 404,
    zh: '找不到消息 {id}',
    en: 'Message {id} was not found',
  }),
  deadLetterNotFound: defineError('MESSAGE_DEAD_LETTER_NOT_FOUND', {
    status: 404,
    zh: '找不到死信 {id}（可能已重试或已投递）',
    en: 'Dead letter {id} was not found (it may have been retried or delivered)',
  }),
} as const;
