import { describe, expect, it } from 'vitest';
import { memberLocale } from './member-locale.ts';

describe('memberLocale', () => {
  it('adopts the saved language on a browser that never chose one (zh-CN by default)', () => {
    expect(memberLocale({ saved: 'en-US', current: 'zh-CN', pickedHere: false })).toEqual({
      locale: 'en-US',
      save: false,
    });
  });

  it('lets the saved language win over an older choice this browser remembers', () => {
    expect(memberLocale({ saved: 'zh-CN', current: 'en-US', pickedHere: false })).toEqual({
      locale: 'zh-CN',
      save: false,
    });
  });

  it('keeps a language picked in this tab before signing in, and saves it on the member', () => {
    expect(memberLocale({ saved: 'zh-CN', current: 'en-US', pickedHere: true })).toEqual({
      locale: 'en-US',
      save: true,
    });
    expect(memberLocale({ saved: null, current: 'en-US', pickedHere: true })).toEqual({ locale: 'en-US', save: true });
    expect(memberLocale({ saved: 'en-US', current: 'en-US', pickedHere: true })).toEqual({
      locale: 'en-US',
      save: false,
    });
  });

  it('leaves a member who never chose in this browser’s language, saving nothing', () => {
    expect(memberLocale({ saved: null, current: 'zh-CN', pickedHere: false })).toEqual({
      locale: 'zh-CN',
      save: false,
    });
    expect(memberLocale({ saved: null, current: 'en-US', pickedHere: false })).toEqual({
      locale: 'en-US',
      save: false,
    });
  });
});
