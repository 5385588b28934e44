import { defineForm } from '@baton/pack';
import { l } from '../labels.ts';
import { supplierCategories } from '../purchase-labels.ts';

/**
 * 供应商档案 (catalog §4.2 `supplierArchive`): suppliers with their bank details, kept directly by purchasing. Every
 * approved supplier evaluation adds its score here (count, total, average, latest); the evaluations themselves are
 * the record's change history, each change linked to its evaluation request — a rule adjusts fields of a record, it
 * cannot append rows to a subtable, so `evaluations[]` is that history rather than a subtable.
 */
export const supplierArchive = defineForm({
  pack: 'contracts',
  key: 'supplierArchive',
  kind: 'archive',
  label: l('供应商档案', 'Supplier archive'),
  fields: [
    { key: 'supplierNo', label: l('供应商编码', 'Supplier code'), type: 'serial', pattern: 'GYS-{seq:4}' },
    { key: 'supplierName', label: l('供应商名称（全称）', 'Supplier (full legal name)'), type: 'text', required: true },
    { key: 'category', label: l('供应商类别', 'Category'), type: 'select', options: supplierCategories },
    { key: 'contactName', label: l('联系人', 'Contact'), type: 'text' },
    { key: 'contactPhone', label: l('联系电话', 'Phone'), type: 'text', maxLength: 40 },
    { key: 'address', label: l('地址', 'Address'), type: 'text' },
    { key: 'taxNo', label: l('纳税人识别号', 'Taxpayer ID'), type: 'text', maxLength: 40 },
    { key: 'bankName', label: l('开户银行', 'Bank'), type: 'text' },
    { key: 'bankAccount', label: l('银行账号', 'Account no.'), type: 'text', maxLength: 40 },
    // Written by the evaluation rule; the average is computed from them.
    {
      key: 'evaluationCount',
      label: l('评价次数', 'Evaluations'),
      type: 'number',
      scale: 0,
      min: 0,
      default: 0,
    },
    { key: 'scoreTotal', label: l('评分合计', 'Score total'), type: 'number', scale: 1, min: 0, default: 0 },
    {
      key: 'averageScore',
      label: l('平均得分', 'Average score'),
      type: 'formula',
      expr: 'IF(evaluationCount > 0, ROUND(scoreTotal / evaluationCount, 1), 0)',
      resultType: 'number',
    },
    { key: 'lastScore', label: l('最近一次得分', 'Latest score'), type: 'number', scale: 1 },
    { key: 'lastEvaluatedOn', label: l('最近评价日期', 'Latest evaluation'), type: 'date' },
    { key: 'remark', label: l('备注', 'Remarks'), type: 'longtext' },
  ],
  keys: [['supplierName']],
  layout: {
    sections: [
      {
        key: 'basic',
        title: l('供应商信息', 'Supplier'),
        rows: [
          [
            { field: 'supplierNo', span: 8 },
            { field: 'supplierName', span: 16 },
          ],
          [
            { field: 'category', span: 8 },
            { field: 'contactName', span: 8 },
            { field: 'contactPhone', span: 8 },
          ],
          [
            { field: 'address', span: 16 },
            { field: 'taxNo', span: 8 },
          ],
          [
            { field: 'bankName', span: 12 },
            { field: 'bankAccount', span: 12 },
          ],
        ],
      },
      {
        key: 'evaluation',
        title: l('服务评价', 'Service evaluation'),
        rows: [
          [
            { field: 'evaluationCount', span: 6 },
            { field: 'averageScore', span: 6 },
            { field: 'lastScore', span: 6 },
            { field: 'lastEvaluatedOn', span: 6 },
          ],
          [{ field: 'remark' }],
        ],
      },
    ],
  },
});
