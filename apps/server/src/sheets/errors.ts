import { defineError } from '@baton/core';

/** Refusals of uploaded spreadsheets: always a coded 4xx, never a 500. */
export const SheetErrors = {
  uploadExpected: defineError('SHEET_UPLOAD_EXPECTED', {
    status: 400,
    zh: '请以 multipart/form-data 上传 .xlsx 或 .csv 文件',
    en: 'Upload an .xlsx or .csv file as multipart/form-data',
  }),
  unsupported: defineError('SHEET_FORMAT_UNSUPPORTED', {
    status: 400,
    zh: '不支持的文件格式：{what}（请使用 .xlsx 或 .csv）',
    en: 'Unsupported file format: {what} (use .xlsx or .csv)',
  }),
  malformed: defineError('SHEET_MALFORMED', {
    status: 400,
    zh: '文件 {file} 无法读取：{reason}',
    en: 'The file {file} cannot be read: {reason}',
  }),
  tooLarge: defineError('SHEET_TOO_LARGE', {
    status: 413,
    zh: '文件过大：{what}',
    en: 'The file is too large: {what}',
  }),
  headerInvalid: defineError('SHEET_HEADER_INVALID', {
    status: 400,
    zh: '工作表 {sheet} 的表头有误：{reason}',
    en: 'The header of sheet {sheet} is invalid: {reason}',
  }),
  sheetUnknown: defineError('SHEET_UNKNOWN', {
    status: 400,
    zh: '无法识别工作表 {sheet}，应为：{expected}',
    en: 'Sheet {sheet} is not recognised; expected: {expected}',
  }),
} as const;
