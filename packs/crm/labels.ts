// Small helpers for bilingual labels and choice options, shared by the forms of this pack.

export const l = (zh: string, en: string) => ({ zh, en });

export const opt = (code: string, zh: string, en: string) => ({ code, label: { zh, en } });

/** 所在区域: the sales regions customers and opportunities are counted by. */
export const regions = [
  opt('north', '华北', 'North China'),
  opt('east', '华东', 'East China'),
  opt('south', '华南', 'South China'),
  opt('central', '华中', 'Central China'),
  opt('southwest', '西南', 'Southwest China'),
  opt('northwest', '西北', 'Northwest China'),
  opt('northeast', '东北', 'Northeast China'),
  opt('overseas', '海外', 'Overseas'),
];

export const yesNo = [opt('yes', '是', 'Yes'), opt('no', '否', 'No')];
