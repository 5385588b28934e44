import { provinceLines } from './provinces.ts';

export type RegionNode = { code: string; name: string; children: RegionNode[] };

function parseItems(text: string): RegionNode[] {
  if (!text) return [];
  return text.split('|').map((item) => ({ code: item.slice(0, 6), name: item.slice(6), children: [] }));
}

/** 34 provincial-level divisions with their prefecture-level cities; districts come in a lazy chunk. */
export const provinces: readonly RegionNode[] = provinceLines.map((line) => {
  const colon = line.indexOf(':');
  return { code: line.slice(0, 6), name: line.slice(6, colon), children: parseItems(line.slice(colon + 1)) };
});

let districts: Promise<ReadonlyMap<string, RegionNode[]>> | undefined;

/** County-level divisions by prefecture code, loaded once on first need (about 60 kB). */
export function loadDistricts(): Promise<ReadonlyMap<string, RegionNode[]>> {
  districts ??= import('./districts.ts').then(
    ({ districtLines }) => new Map(Object.entries(districtLines).map(([city, text]) => [city, parseItems(text)])),
  );
  return districts;
}

/** The names of a code path, skipping the 市辖区 placeholder of the municipalities: 北京市 东城区. */
export function regionNames(codes: readonly string[], districtMap?: ReadonlyMap<string, RegionNode[]>): string[] {
  const [p, c, d] = codes;
  const province = provinces.find((node) => node.code === p);
  const city = province?.children.find((node) => node.code === c);
  const district = c && d ? districtMap?.get(c)?.find((node) => node.code === d) : undefined;
  const names = [
    province?.name ?? p,
    c ? (city?.name ?? c) : undefined,
    d ? (district?.name ?? (districtMap ? d : '…')) : undefined,
  ];
  return names.filter((name): name is string => Boolean(name) && name !== '市辖区' && name !== '县');
}
