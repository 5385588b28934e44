import type { Messages } from './zh-CN.ts';

export const enUS: Messages = {
  'app.name': 'Baton',
  'app.tagline': 'Collaborative management platform',
  'app.documentTitle': '{page} · Baton 接力',
  'app.footer': 'Baton (接力) · open-source collaborative management platform',

  'a11y.skipToContent': 'Skip to main content',

  'nav.label': 'Main navigation',
  'nav.open': 'Open navigation menu',
  'nav.collapse': 'Collapse sidebar',
  'nav.expand': 'Expand sidebar',
  'nav.workspace': 'Workspace',
  'nav.pending': 'Pending',
  'nav.done': 'Done',
  'nav.sent': 'Sent',
  'nav.tracked': 'Tracked',
  'nav.drafts': 'Drafts',
  'nav.admin': 'Administration',

  'locale.label': 'Language',

  'user.menu': 'User menu',
  'user.guest': 'Guest',
  'user.signIn': 'Sign in',
  'user.signOut': 'Sign out',
  'user.signedOut': 'Signed out',

  'health.label': 'Service status',
  'health.checking': 'Checking service status…',
  'health.ready': 'Service ready',
  'health.notReady': 'Service not ready',
  'health.unreachable': 'Server unreachable',
  'health.checkedAt': 'Checked at {time}',
  'health.recheck': 'Click to check again now',

  'placeholder.status': 'Not available yet',
  'page.workspace.description': 'Your personal portal: pending tasks, announcements and frequent apps in one place.',
  'page.workspace.placeholder':
    'The workspace arrives with the portal engine. It will then gather your pending tasks, announcements and frequent apps here.',
  'page.pending.description': 'Tasks waiting for your approval or action.',
  'page.pending.placeholder':
    'Pending arrives with the flow engine. Tasks waiting for your approval or action will then be listed here.',
  'page.done.description': 'Tasks you have acted on.',
  'page.done.placeholder':
    'Done arrives with the flow engine. Tasks you have acted on will then be listed here for you to look back at.',
  'page.sent.description': 'Requests you filed and how far they have got.',
  'page.sent.placeholder':
    'Sent arrives with the flow engine. Requests you filed and how far they have got will then be listed here.',
  'page.tracked.description': 'Flows you chose to follow.',
  'page.tracked.placeholder':
    'Tracked arrives with the flow engine. Flows you follow will then show up here whenever they move on.',
  'page.drafts.description': 'Requests saved but not filed yet.',
  'page.drafts.placeholder':
    'Drafts arrive with the form and flow engines. Requests you saved but have not filed will then be listed here.',
  'page.admin.description': 'Units, departments, members, roles and packs.',
  'page.admin.placeholder':
    'Administration arrives with the organisation and access engines. Units, departments, members, roles and packs will then be managed here.',

  'login.title': 'Sign in',
  'login.subtitle': 'Sign in to the Baton platform with your member account',
  'login.loginName': 'Login name',
  'login.loginNamePlaceholder': 'Enter your login name',
  'login.loginNameRequired': 'Please enter your login name',
  'login.password': 'Password',
  'login.passwordPlaceholder': 'Enter your password',
  'login.passwordRequired': 'Please enter your password',
  'login.submit': 'Sign in',
  'login.failed': 'Sign-in failed',
  'login.succeeded': 'Signed in',
  'login.firstStartHint':
    'On first start the server prints the administrator account and its generated password in its log.',

  'notFound.title': 'Page not found',
  'notFound.subtitle': 'The address you opened does not exist; it may have been moved or removed.',

  'error.title': 'Something went wrong',
  'error.subtitle': 'An error occurred while showing this page. Reload it or go back to the workspace.',
  'error.reload': 'Reload',
  'error.details': 'Technical details',

  'common.backToWorkspace': 'Back to the workspace',

  'apiError.title': 'Request failed',
  'apiError.network': 'Cannot reach the server; check your network and try again.',
  'apiError.unexpected': 'The server returned an unexpected response (HTTP {status}).',
  'apiError.code': 'Error code: {code}',
  'apiError.instance': 'Request id: {instance}',
};
