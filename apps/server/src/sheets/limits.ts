/** What an upload may hold. Generous for real org charts and archives, small enough to refuse abuse. */
export const SheetLimits = {
  /** Bytes of one uploaded file. */
  fileBytes: 20 * 1024 * 1024,
  /** Files in one upload (an org import may send departments.csv and members.csv). */
  files: 4,
  /** Data rows of one sheet. */
  rows: 50_000,
  /** Columns of one sheet. */
  columns: 200,
  /** Worksheets of one workbook. */
  sheets: 20,
  /** Characters of one cell (Excel's own limit). */
  cellChars: 32_767,
  /** Uncompressed bytes of all parts of an .xlsx (zip-bomb guard). */
  xlsxUnpackedBytes: 400 * 1024 * 1024,
  /** Parts of an .xlsx. */
  xlsxEntries: 2_000,
} as const;
