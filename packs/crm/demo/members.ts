// The demo organisation's people the CRM demo data is filed by (kernel/org buildDemoOrg, 星河互联集团).

/** Salespeople of 北京销售一组 (华北销售部 › 北京销售一组). */
export const beijing0 = 'staff:北京销售一组:0';
export const beijing1 = 'staff:北京销售一组:1';
/** 大客户小组, below 北京销售一组. */
export const keyAccounts0 = 'staff:大客户小组:0';
export const north0 = 'staff:华北销售部:0';
export const east0 = 'staff:华东销售部:0';
export const east1 = 'staff:华东销售部:1';
export const east2 = 'staff:华东销售部:2';
/** 成都分公司 › 销售部 › 川渝销售组. */
export const chengdu0 = 'staff:川渝销售组:0';
export const chengdu1 = 'staff:川渝销售组:1';
/** Sales directors (role salesDirector) and the heads they are. */
export const directorNorth = 'head:华北销售部';
export const directorEast = 'head:华东销售部';
export const directorChengdu = 'head:销售部';
export const directorSales = 'head:销售中心';
/** 销售管理部 (role salesAdmin). */
export const salesAdminHead = 'head:销售管理部';
export const salesAdmin0 = 'staff:销售管理部:0';
/** A developer: not in sales, enters an opportunity as any employee may. */
export const developer0 = 'staff:研发一部:0';

export const member = (selector: string) => ({ $member: selector });
export const day = (offset: number) => ({ $date: offset });
export const at = (offset: number, time: string) => ({ $datetime: offset, at: time });
export const record = (ref: string) => ({ $record: ref });
