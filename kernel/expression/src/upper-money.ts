import nzh from 'nzh/cn';
import { formatFen } from './money.ts';

/**
 * Fen → Chinese upper-case amount (大写金额): 96453.00 → 玖万陆仟肆佰伍拾叁元整, 0 → 零元整,
 * 10010.05 → 壹万零壹拾元零伍分, -5 → 负伍元整. nzh does the conversion; it is given the exact decimal text of the
 * fen so no float is involved, and `forceZheng` adds 整 after an amount that ends at 元 or 角 (壹元壹角整), as the
 * payment-settlement rules (支付结算办法) ask. Formal digits only (仟/佰, never 千/百).
 */
export function upperMoney(fen: number): string {
  return nzh.toMoney(formatFen(fen), { outSymbol: false, forceZheng: true });
}
