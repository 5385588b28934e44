import { Badge, type BadgeProps, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { requestRaw } from '../api/client.ts';
import { type MessageKey, useT } from '../i18n/index.ts';

type ReadyBody = { status: 'ready' | 'not_ready'; checks?: Record<string, unknown> };
type Health =
  | { state: 'checking' }
  | { state: 'ready' | 'notReady'; checks: Record<string, unknown>; at: number }
  | { state: 'unreachable'; at: number };

const pollMs = 30_000;
const badgeStatus: Record<Health['state'], BadgeProps['status']> = {
  checking: 'processing',
  ready: 'success',
  notReady: 'warning',
  unreachable: 'error',
};
const badgeText: Record<Health['state'], MessageKey> = {
  checking: 'health.checking',
  ready: 'health.ready',
  notReady: 'health.notReady',
  unreachable: 'health.unreachable',
};

function isReadyBody(body: unknown): body is ReadyBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    ((body as ReadyBody).status === 'ready' || (body as ReadyBody).status === 'not_ready')
  );
}

/** The server reports each check as `{ ok, ...detail }`; older or other probes may send a bare word. */
function checkText(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    if ('ok' in value) {
      const error = 'error' in value ? ` (${String(value.error)})` : '';
      return value.ok === true ? 'ok' : `not ok${error}`;
    }
    if ('status' in value) return String(value.status);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

async function probe(): Promise<Health> {
  try {
    // /readyz answers 503 with the same body while not ready, so the status code is not the verdict.
    const response = await requestRaw('/readyz');
    if (isReadyBody(response.body)) {
      return {
        state: response.body.status === 'ready' ? 'ready' : 'notReady',
        checks: response.body.checks ?? {},
        at: Date.now(),
      };
    }
    return { state: 'notReady', checks: { http: response.status }, at: Date.now() };
  } catch {
    return { state: 'unreachable', at: Date.now() };
  }
}

export function HealthBadge({ compact = false }: { compact?: boolean }) {
  const t = useT();
  const [health, setHealth] = useState<Health>({ state: 'checking' });
  // Bumped by a click: re-runs the effect, which probes at once and restarts the polling.
  const [round, setRound] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let timer: number | undefined;
    // A manual re-check shows the pending state, so the click visibly did something.
    if (round > 0) setHealth({ state: 'checking' });
    const run = async () => {
      const next = await probe();
      if (cancelled) return;
      setHealth(next);
      timer = window.setTimeout(run, pollMs);
    };
    void run();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [round]);

  const status = badgeStatus[health.state];
  const text = t(badgeText[health.state]);

  const tip = (
    <div className="health-tip">
      <div>{text}</div>
      {'checks' in health &&
        Object.entries(health.checks).map(([name, value]) => (
          <div key={name}>
            {name}: {checkText(value)}
          </div>
        ))}
      {'at' in health && <div>{t('health.checkedAt', { time: dayjs(health.at).format('HH:mm:ss') })}</div>}
      <div>{t('health.recheck')}</div>
    </div>
  );

  return (
    <Tooltip title={tip}>
      {/* A button, so keyboard users reach the tooltip and anyone can ask for a fresh check. */}
      <button
        type="button"
        className="health-badge"
        aria-label={`${t('health.label')}: ${text}`}
        data-health={health.state}
        onClick={() => setRound((value) => value + 1)}
      >
        <Badge status={status} text={compact ? undefined : text} />
      </button>
    </Tooltip>
  );
}
