// The reference catalogue: every key the UI may show lives here first, and en-US is typed
// against it, so a key missing from a translation fails type checking rather than showing
// up blank in front of a user.
export const zhCN = {
  'app.name': '接力',
  'app.tagline': '协同管理平台',
  'app.documentTitle': '{page} · 接力 Baton',
  'app.footer': '接力 Baton · 开源协同管理平台',

  'a11y.skipToContent': '跳到主要内容',

  'nav.label': '主导航',
  'nav.open': '打开导航菜单',
  'nav.collapse': '收起侧边栏',
  'nav.expand': '展开侧边栏',
  'nav.workspace': '工作台',
  'nav.pending': '待办',
  'nav.done': '已办',
  'nav.sent': '已发',
  'nav.tracked': '跟踪',
  'nav.drafts': '草稿',
  'nav.admin': '管理',

  'locale.label': '界面语言',

  'user.menu': '用户菜单',
  'user.guest': '访客',
  'user.signIn': '登录',
  'user.signOut': '退出登录',
  'user.signedOut': '已退出登录',

  'health.label': '服务状态',
  'health.checking': '正在检查服务状态…',
  'health.ready': '服务正常',
  'health.notReady': '服务未就绪',
  'health.unreachable': '无法连接服务器',
  'health.checkedAt': '检查时间：{time}',
  'health.recheck': '点击可立即重新检查',

  'placeholder.status': '尚未开放',
  'page.workspace.description': '您的个人门户：待办摘要、公告与常用应用会汇集在这里。',
  'page.workspace.placeholder': '工作台将随门户引擎上线。届时这里会汇总您的待办、公告与常用应用。',
  'page.pending.description': '等待您审批或处理的事项。',
  'page.pending.placeholder': '待办将随流程引擎上线。届时等待您审批或处理的事项会列在这里。',
  'page.done.description': '您已经处理过的事项。',
  'page.done.placeholder': '已办将随流程引擎上线。届时您处理过的事项会列在这里，可随时回看。',
  'page.sent.description': '您发起的申请及其办理进度。',
  'page.sent.placeholder': '已发将随流程引擎上线。届时您发起的申请及其办理进度会列在这里。',
  'page.tracked.description': '您选择关注的流程。',
  'page.tracked.placeholder': '跟踪将随流程引擎上线。届时您关注的流程有进展时会出现在这里。',
  'page.drafts.description': '已保存但尚未发起的申请。',
  'page.drafts.placeholder': '草稿将随表单与流程引擎上线。届时您保存但尚未发起的申请会列在这里。',
  'page.admin.description': '单位、部门、人员、角色与应用包的维护。',
  'page.admin.placeholder': '管理将随组织与权限引擎上线。届时可在这里维护单位、部门、人员、角色和应用包。',

  'login.title': '登录',
  'login.subtitle': '使用成员账号登录接力协同管理平台',
  'login.loginName': '登录名',
  'login.loginNamePlaceholder': '请输入登录名',
  'login.loginNameRequired': '请输入登录名',
  'login.password': '密码',
  'login.passwordPlaceholder': '请输入密码',
  'login.passwordRequired': '请输入密码',
  'login.submit': '登录',
  'login.failed': '登录失败',
  'login.succeeded': '登录成功',
  'login.firstStartHint': '首次启动时，服务器会在日志中打印管理员账号及自动生成的初始密码。',

  'notFound.title': '页面不存在',
  'notFound.subtitle': '您访问的地址不存在，可能已被移动或删除。',

  'error.title': '页面出错了',
  'error.subtitle': '显示此页面时发生了错误。您可以重新加载，或返回工作台。',
  'error.reload': '重新加载',
  'error.details': '技术细节',

  'common.backToWorkspace': '返回工作台',

  'apiError.title': '请求失败',
  'apiError.network': '无法连接服务器，请检查网络后重试。',
  'apiError.unexpected': '服务器返回了意外的响应（HTTP {status}）。',
  'apiError.code': '错误码：{code}',
  'apiError.instance': '请求编号：{instance}',
};

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
