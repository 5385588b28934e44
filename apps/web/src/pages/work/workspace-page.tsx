import { FileAddOutlined, ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Flex, Result, Row, Skeleton, Tag } from 'antd';
import { Link, useNavigate } from 'react-router';
import { flowsApi, type TaskCounts, type WorkBox } from '../../api/flows.ts';
import { packsApi } from '../../api/reports.ts';
import { useTaskCounts } from '../../api/task-counts.ts';
import { describeApiError } from '../../api/use-api-error-notice.tsx';
import { useSession } from '../../auth/session.ts';
import { useMemberNames } from '../../field-types/shared.tsx';
import { pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { useLoad } from '../records/use-form-definition.ts';
import { AppEntries, PinnedReports } from '../reports/pinned-reports.tsx';
import { boxLabel, boxPaths, formatTime, InstanceStateTag, useFlowNames } from './work-shared.tsx';

const TILES: ReadonlyArray<{ box: WorkBox; count: (counts: TaskCounts) => number }> = [
  { box: 'pending', count: (counts) => counts.pending },
  { box: 'notify', count: (counts) => counts.notifyUnread },
  { box: 'sent', count: (counts) => counts.sent },
  { box: 'done', count: (counts) => counts.done },
  { box: 'tracked', count: (counts) => counts.tracked },
  { box: 'drafts', count: (counts) => counts.drafts },
];

const QUICK_STARTS = 8;
const LATEST = 5;

/**
 * 工作台: the member's numbers (pending with overdue and urgent, unread notifications, sent, done, tracked,
 * drafts; live, see api/task-counts.ts), the newest pending tasks, tiles of the flows they may file, their
 * pinned reports and the installed packs' entries they may use.
 */
export function WorkspacePage() {
  const t = useT();
  const locale = useLocale();
  const session = useSession();
  const navigate = useNavigate();
  const flowName = useFlowNames();
  const title = t('nav.workspace');
  useDocumentTitle(title);
  const loaded = useLoad(async () => {
    const [counts, pending, flows, menus] = await Promise.all([
      flowsApi.counts(),
      flowsApi.tasks('pending', { limit: LATEST }),
      flowsApi.list(),
      // Without the packs' menus the workspace still works; it only lacks their entries.
      packsApi.menus().catch(() => []),
    ]);
    return { counts, pending: pending.items, flows, menus };
  }, 'workspace');
  const live = useTaskCounts();
  const initiators = useMemberNames([...new Set((loaded.data?.pending ?? []).map((task) => task.initiatorId))]);
  const name = session.status === 'signedIn' ? session.member.name : '';

  if (loaded.error) {
    const description = describeApiError(loaded.error, t, t('work.list.loadFailed'));
    return (
      <>
        <PageHeader title={title} />
        <Result
          status="warning"
          title={description.title}
          subTitle={description.detail}
          extra={<Button onClick={loaded.reload}>{t('work.retry')}</Button>}
        />
      </>
    );
  }
  const data = loaded.data;
  // The live counts once they arrive; the page's own answer until then.
  const counts = live ?? data?.counts;
  return (
    <>
      <PageHeader
        title={title}
        description={name ? t('work.home.greeting', { name }) : t('page.workspace.description')}
        extra={
          <Flex gap={8} wrap>
            <Button icon={<ReloadOutlined aria-hidden />} onClick={loaded.reload}>
              {t('work.list.refresh')}
            </Button>
            <Button type="primary" icon={<FileAddOutlined aria-hidden />} onClick={() => navigate('/work/file')}>
              {t('work.file.start')}
            </Button>
          </Flex>
        }
      />
      {!data ? (
        <Skeleton active />
      ) : (
        <>
          <ul className="work-home-tiles" aria-label={t('work.home.counts')}>
            {counts &&
              TILES.map(({ box, count }) => (
                <li key={box}>
                  <Link to={boxPaths[box]} className={`work-home-tile tile-${box}`} data-box={box}>
                    <span className="work-home-tile-count">{count(counts)}</span>
                    <span className="work-home-tile-label">{t(boxLabel(box))}</span>
                    {box === 'pending' && (counts.overdue > 0 || counts.urgent > 0) && (
                      <span className="work-home-tile-marks">
                        {counts.overdue > 0 && (
                          <Tag color="red">{t('work.home.overdue', { count: counts.overdue })}</Tag>
                        )}
                        {counts.urgent > 0 && (
                          <Tag color="volcano">{t('work.home.urgent', { count: counts.urgent })}</Tag>
                        )}
                      </span>
                    )}
                  </Link>
                </li>
              ))}
          </ul>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={14}>
              <Card
                title={t('work.box.pending')}
                className="work-home-card"
                extra={
                  <Link to="/pending">
                    {t('work.home.all')} <RightOutlined aria-hidden />
                  </Link>
                }
              >
                {data.pending.length === 0 ? (
                  <Empty description={t('work.box.pending.empty')} />
                ) : (
                  <ul className="work-list" aria-label={t('work.box.pending')}>
                    {data.pending.map((task) => (
                      <li
                        key={task.taskId}
                        className={`work-item${task.overdue ? ' is-overdue' : ''}${task.urgent ? ' is-urgent' : ''}`}
                        data-instance={task.instanceId}
                      >
                        <div className="work-item-main">
                          <Link
                            to={`/work/instances/${task.instanceId}?task=${task.taskId}`}
                            className="work-item-title"
                          >
                            {task.title || t('work.list.untitled')}
                          </Link>
                          <div className="work-item-meta">
                            <span>{task.flowName ? pickLabel(task.flowName, locale) : flowName(task.flow)}</span>
                            <span>{initiators[task.initiatorId] ?? ''}</span>
                            <time dateTime={task.createdAt}>{formatTime(task.createdAt, locale)}</time>
                          </div>
                        </div>
                        <Flex gap={4} wrap className="work-item-tags">
                          {task.urgent && <Tag color="volcano">{t('work.list.urgent')}</Tag>}
                          {task.overdue && <Tag color="red">{t('work.list.overdue')}</Tag>}
                          <InstanceStateTag state={task.instanceState} t={t} />
                        </Flex>
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Card
                title={t('work.home.quickStart')}
                className="work-home-card"
                extra={
                  <Link to="/work/file">
                    {t('work.home.allFlows')} <RightOutlined aria-hidden />
                  </Link>
                }
              >
                {data.flows.length === 0 ? (
                  <Empty description={t('work.file.none')} />
                ) : (
                  <ul className="work-catalogue">
                    {data.flows.slice(0, QUICK_STARTS).map((flow) => (
                      <li key={`${flow.pack}.${flow.key}`}>
                        <Link to={`/work/file/${flow.pack}/${flow.key}`} className="work-catalogue-tile">
                          <FileAddOutlined aria-hidden className="work-catalogue-icon" />
                          <span className="work-catalogue-name">{pickLabel(flow.name, locale)}</span>
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]} className="work-home-more">
            <Col xs={24} lg={data.menus.length > 0 ? 14 : 24}>
              <PinnedReports />
            </Col>
            {data.menus.length > 0 && (
              <Col xs={24} lg={10}>
                <AppEntries menus={data.menus} t={t} />
              </Col>
            )}
          </Row>
        </>
      )}
    </>
  );
}
