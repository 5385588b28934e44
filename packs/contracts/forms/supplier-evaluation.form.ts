import { defineForm } from '@baton/pack';
import { l } from '../labels.ts';

/**
 * (implied) 供应商服务评价 (catalog §2.7 steps 6–7): after the service the contract owner scores the supplier and may
 * confirm that the contract is complete (合同执行完毕确认); the purchasing director re-checks it (复核). Approval
 * adds the score to the supplier archive and, when completion is confirmed, closes the contract.
 */
export const supplierEvaluation = defineForm({
  pack: 'contracts',
  key: 'supplierEvaluation',
  kind: 'flow',
  label: l('供应商服务评价', 'Supplier service evaluation'),
  fields: [
    { key: 'serialNo', label: l('编号', 'No.'), type: 'serial', pattern: 'GYSPJ-{yyyy}-{seq:4}', reset: 'yearly' },
    { key: 'evaluatedOn', label: l('评价日期', 'Date'), type: 'date', required: true, default: { from: 'today' } },
    {
      key: 'contractRef',
      label: l('采购合同', 'Purchase contract'),
      type: 'reference',
      form: { pack: 'contracts', key: 'contractArchive' },
      display: 'contractNo',
      filter: "kind = 'purchase'",
      fill: { contractNo: 'contractNo', supplierRef: 'supplierRef' },
      required: true,
    },
    { key: 'contractNo', label: l('合同编号', 'Contract no.'), type: 'text', maxLength: 60 },
    {
      key: 'supplierRef',
      label: l('供应商', 'Supplier'),
      type: 'reference',
      form: { pack: 'contracts', key: 'supplierArchive' },
      display: 'supplierName',
      required: true,
    },
    {
      key: 'qualityScore',
      label: l('服务质量（0–100）', 'Quality (0–100)'),
      type: 'number',
      scale: 0,
      min: 0,
      max: 100,
      required: true,
    },
    {
      key: 'timelinessScore',
      label: l('及时性（0–100）', 'Timeliness (0–100)'),
      type: 'number',
      scale: 0,
      min: 0,
      max: 100,
      required: true,
    },
    {
      key: 'cooperationScore',
      label: l('配合度（0–100）', 'Cooperation (0–100)'),
      type: 'number',
      scale: 0,
      min: 0,
      max: 100,
      required: true,
    },
    {
      key: 'totalScore',
      label: l('综合得分', 'Overall score'),
      type: 'formula',
      expr: 'ROUND(qualityScore * 0.5 + timelinessScore * 0.3 + cooperationScore * 0.2, 1)',
      resultType: 'number',
    },
    { key: 'comment', label: l('评价意见', 'Comments'), type: 'longtext' },
    { key: 'contractCompleted', label: l('合同执行完毕确认', 'Contract completed'), type: 'boolean', default: false },
    { key: 'completionOwner', label: l('合同负责人', 'Contract owner'), type: 'member', default: { from: 'member' } },
    {
      key: 'completionReview',
      label: l('合同执行完毕复核', 'Completion re-check'),
      type: 'opinion',
      node: 'completionReview',
      preset: '已复核。',
    },
    { key: 'completionReviewer', label: l('复核人', 'Re-checked by'), type: 'member' },
  ],
  layout: {
    sections: [
      {
        key: 'evaluation',
        title: l('供应商服务评价', 'Supplier evaluation'),
        rows: [
          [
            { field: 'serialNo', span: 8 },
            { field: 'evaluatedOn', span: 8 },
            { field: 'contractRef', span: 8 },
          ],
          [
            { field: 'supplierRef', span: 16 },
            { field: 'contractNo', span: 8 },
          ],
          [
            { field: 'qualityScore', span: 6 },
            { field: 'timelinessScore', span: 6 },
            { field: 'cooperationScore', span: 6 },
            { field: 'totalScore', span: 6 },
          ],
          [{ field: 'comment' }],
        ],
      },
      {
        key: 'completion',
        title: l('合同执行完毕确认', 'Completion'),
        rows: [
          [
            { field: 'contractCompleted', span: 8 },
            { field: 'completionOwner', span: 8 },
            { field: 'completionReviewer', span: 8 },
          ],
          [{ field: 'completionReview' }],
        ],
      },
    ],
  },
});
