// Deterministic fake people for demo and test orgs: common surnames and given-name characters with a
// simplified pinyin (no tones), so logins look like `zhangwei01`. Nothing here is a real person.

export const surnames: ReadonlyArray<readonly [string, string]> = [
  ['王', 'wang'],
  ['李', 'li'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['陈', 'chen'],
  ['杨', 'yang'],
  ['黄', 'huang'],
  ['赵', 'zhao'],
  ['吴', 'wu'],
  ['周', 'zhou'],
  ['徐', 'xu'],
  ['孙', 'sun'],
  ['马', 'ma'],
  ['朱', 'zhu'],
  ['胡', 'hu'],
  ['郭', 'guo'],
  ['何', 'he'],
  ['高', 'gao'],
  ['林', 'lin'],
  ['罗', 'luo'],
  ['郑', 'zheng'],
  ['梁', 'liang'],
  ['谢', 'xie'],
  ['宋', 'song'],
  ['唐', 'tang'],
  ['许', 'xu'],
  ['韩', 'han'],
  ['冯', 'feng'],
  ['邓', 'deng'],
  ['曹', 'cao'],
  ['彭', 'peng'],
  ['曾', 'zeng'],
  ['萧', 'xiao'],
  ['田', 'tian'],
  ['董', 'dong'],
  ['潘', 'pan'],
];

export const givenNames: ReadonlyArray<readonly [string, string]> = [
  ['伟', 'wei'],
  ['芳', 'fang'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['丽', 'li'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['军', 'jun'],
  ['洋', 'yang'],
  ['勇', 'yong'],
  ['艳', 'yan'],
  ['杰', 'jie'],
  ['娟', 'juan'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['秀', 'xiu'],
  ['霞', 'xia'],
  ['平', 'ping'],
  ['刚', 'gang'],
  ['华', 'hua'],
  ['玉', 'yu'],
  ['兰', 'lan'],
  ['飞', 'fei'],
  ['鹏', 'peng'],
  ['辉', 'hui'],
  ['婷', 'ting'],
  ['雪', 'xue'],
  ['琳', 'lin'],
  ['晨', 'chen'],
  ['宇', 'yu'],
  ['浩', 'hao'],
  ['然', 'ran'],
  ['欣', 'xin'],
  ['怡', 'yi'],
  ['子', 'zi'],
  ['轩', 'xuan'],
  ['思', 'si'],
  ['博', 'bo'],
  ['嘉', 'jia'],
  ['瑞', 'rui'],
];

/** mulberry32: a tiny seeded PRNG, so the same seed always gives the same org. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(random: () => number, list: ReadonlyArray<T>): T {
  return list[Math.floor(random() * list.length)] as T;
}

/**
 * Makes unique names and logins: surname + one or two given-name characters, login = pinyin + a
 * two-digit counter per pinyin (zhangwei01, zhangwei02 …).
 */
export function createNamer(random: () => number): () => { name: string; login: string } {
  const names = new Set<string>();
  const counters = new Map<string, number>();
  return () => {
    for (let attempt = 0; ; attempt++) {
      const [surname, surnamePinyin] = pick(random, surnames);
      const [first, firstPinyin] = pick(random, givenNames);
      const two = random() < 0.5;
      const [second, secondPinyin] = two ? pick(random, givenNames) : ['', ''];
      const name = `${surname}${first}${second}`;
      // Unique names keep demos readable; after many attempts accept a duplicate name (logins stay unique).
      if (names.has(name) && attempt < 50) continue;
      names.add(name);
      const base = `${surnamePinyin}${firstPinyin}${secondPinyin}`;
      const count = (counters.get(base) ?? 0) + 1;
      counters.set(base, count);
      return { name, login: `${base}${String(count).padStart(2, '0')}` };
    }
  };
}
