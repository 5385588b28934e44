import { describe, expect, it } from 'vitest';
import { loadDistricts, provinces, regionNames } from './data.ts';

describe('region data', () => {
  it('has all 34 provincial-level divisions with six-digit codes', () => {
    expect(provinces).toHaveLength(34);
    expect(new Set(provinces.map((p) => p.code)).size).toBe(34);
    for (const province of provinces) {
      expect(province.code).toMatch(/^\d{2}0000$/);
      for (const city of province.children) expect(city.code.slice(0, 2)).toBe(province.code.slice(0, 2));
    }
    expect(provinces.map((p) => p.name)).toEqual(
      expect.arrayContaining(['北京市', '广东省', '台湾省', '香港特别行政区', '澳门特别行政区']),
    );
  });

  it('lists the prefecture-level cities of each province', () => {
    const guangdong = provinces.find((p) => p.code === '440000');
    expect(guangdong?.children.length).toBe(21);
    expect(guangdong?.children.find((c) => c.code === '440300')?.name).toBe('深圳市');
    expect(provinces.reduce((n, p) => n + p.children.length, 0)).toBeGreaterThan(330);
  });

  it('names a code path, districts once loaded, without the 市辖区 placeholder', async () => {
    expect(regionNames(['440000', '440300'])).toEqual(['广东省', '深圳市']);
    const districts = await loadDistricts();
    expect(regionNames(['440000', '440300', '440305'], districts)).toEqual(['广东省', '深圳市', '南山区']);
    expect(regionNames(['110000', '110100', '110101'], districts)).toEqual(['北京市', '东城区']);
  });
});
