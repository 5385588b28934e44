import { App, Button, Progress } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { type DownloadProgress, isAbort } from '../api/download.ts';
import { formatBytes, progressPercent } from '../api/export-progress.ts';
import { useT } from '../i18n/index.ts';

type Start = (options: { signal: AbortSignal; onProgress: (progress: DownloadProgress) => void }) => Promise<void>;

/** Redraws at most this often while bytes stream in (a large export arrives in thousands of chunks). */
const REDRAW_MS = 150;

const count = (n: number | undefined) => (n ?? 0).toLocaleString();

/**
 * Runs one export download at a time with a progress notification: rows received of the total the server
 * counted (a bar), or the bytes so far when the total or the row count is unknown, and a button that cancels
 * it. Resolves true when the file was saved, false when cancelled; a refusal is rethrown for the caller's notice.
 */
export function useExportDownload() {
  const { notification } = App.useApp();
  const t = useT();
  const [exporting, setExporting] = useState(false);
  const current = useRef<AbortController | undefined>(undefined);

  const run = useCallback(
    async (start: Start): Promise<boolean> => {
      current.current?.abort();
      const controller = new AbortController();
      current.current = controller;
      const key = `export-${Date.now()}`;
      let shownAt = 0;
      const show = (progress: DownloadProgress, force = false) => {
        const now = Date.now();
        if (!force && now - shownAt < REDRAW_MS) return;
        shownAt = now;
        const percent = progressPercent(progress);
        const size = formatBytes(progress.bytes);
        const text =
          percent !== undefined
            ? t('export.progress.rows', { rows: count(progress.rows), total: count(progress.total), size })
            : progress.total !== undefined
              ? t('export.progress.total', { total: count(progress.total), size })
              : t('export.progress.bytes', { size });
        notification.open({
          key,
          className: 'export-progress',
          title: t('export.progress.title'),
          description: (
            <div data-rows={progress.rows} data-total={progress.total}>
              {percent !== undefined && <Progress percent={percent} size="small" status="active" />}
              <span className="export-progress-text">{text}</span>
            </div>
          ),
          actions: (
            <Button size="small" className="export-progress-cancel" onClick={() => controller.abort()}>
              {t('export.progress.cancel')}
            </Button>
          ),
          duration: 0,
          closable: false,
          // Like a browser's downloads: out of the way of the page's own buttons at the top.
          placement: 'bottomRight',
        });
      };
      setExporting(true);
      let last: DownloadProgress = { bytes: 0 };
      show(last, true);
      try {
        await start({
          signal: controller.signal,
          onProgress: (progress) => {
            last = progress;
            show(progress);
          },
        });
        const size = formatBytes(last.bytes);
        notification.success({
          key,
          className: 'export-progress export-progress-done',
          title: t('export.progress.done'),
          description:
            last.total !== undefined
              ? t('export.progress.doneRows', { total: count(last.total), size })
              : t('export.progress.doneBytes', { size }),
          duration: 4,
          placement: 'bottomRight',
        });
        return true;
      } catch (error) {
        if (isAbort(error)) {
          notification.info({ key, title: t('export.progress.cancelled'), duration: 3, placement: 'bottomRight' });
          return false;
        }
        notification.destroy(key);
        throw error;
      } finally {
        if (current.current === controller) current.current = undefined;
        setExporting(false);
      }
    },
    [notification, t],
  );

  return { exporting, run };
}
