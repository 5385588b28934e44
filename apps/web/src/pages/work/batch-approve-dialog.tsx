import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Button, Input, Modal } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { type BatchResult, flowsApi, newClientActionId, type TaskItem } from '../../api/flows.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { useT } from '../../i18n/index.ts';

/**
 * 批量同意: one opinion for every selected task, one request, and then each task's own result (approved, or
 * why not: someone acted first, the node needs fields filled in, …). Client action ids are made once per
 * opening, so a retry after a lost answer approves nothing twice.
 */
export function BatchApproveDialog({
  open,
  tasks,
  onClose,
}: {
  open: boolean;
  tasks: TaskItem[];
  onClose: (acted: boolean) => void;
}) {
  const t = useT();
  const [opinion, setOpinion] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [results, setResults] = useState<BatchResult[]>();
  const ids = useRef(new Map<string, string>());
  useEffect(() => {
    if (!open) return;
    setOpinion(t('work.opinion.agree'));
    setResults(undefined);
    setFailure(undefined);
    ids.current = new Map();
  }, [open, t]);

  async function approve() {
    setBusy(true);
    setFailure(undefined);
    try {
      const body = tasks.map((task) => {
        const known = ids.current.get(task.taskId) ?? newClientActionId();
        ids.current.set(task.taskId, known);
        return { taskId: task.taskId, clientActionId: known };
      });
      setResults(await flowsApi.approveBatch({ tasks: body, ...(opinion.trim() ? { opinion: opinion.trim() } : {}) }));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  }

  const titleOf = new Map(tasks.map((task) => [task.taskId, task.title || t('work.list.untitled')]));
  const okCount = results?.filter((result) => result.ok).length ?? 0;
  return (
    <Modal
      open={open}
      className="work-batch-dialog"
      title={results ? t('work.batch.resultTitle', { ok: okCount, total: results.length }) : t('work.batch.title')}
      onCancel={() => onClose(Boolean(results))}
      destroyOnHidden
      footer={
        results
          ? [
              <Button key="done" type="primary" className="work-batch-done" onClick={() => onClose(true)}>
                {t('work.batch.done')}
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={() => onClose(false)}>
                {t('work.cancel')}
              </Button>,
              <Button key="ok" type="primary" className="work-batch-ok" loading={busy} onClick={() => void approve()}>
                {t('work.batch.confirm', { count: tasks.length })}
              </Button>,
            ]
      }
    >
      {failure !== undefined && (
        <Alert
          type="error"
          showIcon
          className="work-error"
          title={describeApiError(failure, t, t('work.instance.actionFailed')).title}
        />
      )}
      {results ? (
        <ul className="work-batch-results" aria-label={t('work.batch.results')}>
          {results.map((result) => (
            <li key={result.taskId} className={result.ok ? 'is-ok' : 'is-failed'} data-task={result.taskId}>
              {result.ok ? (
                <CheckCircleFilled aria-hidden className="work-batch-ok-icon" />
              ) : (
                <CloseCircleFilled aria-hidden className="work-batch-failed-icon" />
              )}
              <span className="work-batch-title">{titleOf.get(result.taskId) ?? result.taskId}</span>
              <span className="work-batch-outcome">
                {result.ok ? t('work.done.approve') : (result.problem?.detail ?? t('work.instance.actionFailed'))}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <>
          <p>{t('work.batch.body', { count: tasks.length })}</p>
          <ul className="work-batch-list">
            {tasks.map((task) => (
              <li key={task.taskId}>{task.title || t('work.list.untitled')}</li>
            ))}
          </ul>
          <label className="work-dialog-field" htmlFor="work-batch-opinion">
            <span>{t('work.opinion.title')}</span>
            <Input.TextArea
              id="work-batch-opinion"
              autoSize={{ minRows: 1, maxRows: 4 }}
              maxLength={4000}
              value={opinion}
              onChange={(event) => setOpinion(event.target.value)}
            />
          </label>
        </>
      )}
    </Modal>
  );
}
