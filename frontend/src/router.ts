import { createRouter, createWebHistory } from 'vue-router';
import HomePage from './home/HomePage.vue';
import { setUnauthorizedHandler } from './api';
import { loadMe, session } from './session';
import { regionGuard } from './workbench/guards';
import { carriedQuery } from './campaign/campaignQuery';
import { takeDropping } from './campaign/campaigns';

const WORKBENCH_ROLES = ['admin', 'province', 'unit', 'county'];

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    // Each role's day (home/HomePage.vue); the geography page is one click away at /map.
    { path: '/', name: 'home', component: HomePage, meta: { title: '首页' } },
    { path: '/map', name: 'map', component: () => import('./pages/HomePage.vue'), meta: { title: '地图' } },
    { path: '/setup', name: 'setup', component: () => import('./home/SetupPage.vue'), meta: { title: '首次启动清单', roles: ['admin'] } },
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { title: '登录', public: true } },
    { path: '/admin', name: 'admin', component: () => import('./pages/AdminPage.vue'), meta: { title: '系统管理', roles: ['admin'] } },
    { path: '/alerts', name: 'alerts', component: () => import('./pages/AlertsPage.vue'), meta: { title: '预警中心' } },
    { path: '/reports', name: 'reports', component: () => import('./pages/ReportsPage.vue'), meta: { title: '报表', roles: ['admin', 'province'] } },
    // The wall screen: full-bleed, outside the desk layout (meta.bare hides the desk header).
    // One record for /screen and /screen/:code, so focusing a unit keeps the page (and its data) instead of remounting.
    { path: '/screen/:code(\\d{6})?', name: 'screen', component: () => import('./screen/ScreenPage.vue'), meta: { title: '指挥大屏', bare: true } },
    // The bureau workbench: region pages, a county's case list, a person, an ingest run's rejects.
    { path: '/r/:code(\\d{6})', name: 'region', component: () => import('./pages/RegionPage.vue'), beforeEnter: regionGuard, meta: { title: '工作台', roles: WORKBENCH_ROLES } },
    { path: '/r/:code(\\d{6})/cases', name: 'cases', component: () => import('./pages/CasesPage.vue'), meta: { title: '人员名单', roles: WORKBENCH_ROLES } },
    { path: '/p/:key', name: 'person', component: () => import('./pages/PersonPage.vue'), meta: { title: '人员详情', roles: WORKBENCH_ROLES } },
    { path: '/ingest/runs/:id(\\d+)', name: 'ingest-run', component: () => import('./workbench/RejectsPage.vue'), meta: { title: '导入批次', roles: WORKBENCH_ROLES } },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: '页面不存在' } },
  ],
});

// The chosen campaign year (?campaign=) stays through in-app links and pushes that name none. A history
// move (back, forward, the first load) has already put its URL in the address bar: it keeps what that says.
router.beforeEach((to, from) => {
  const dropping = takeDropping();
  const here = router.resolve(`${window.location.pathname}${window.location.search}${window.location.hash}`);
  const query = carriedQuery(to.query, from.query, { historyMove: here.fullPath === to.fullPath, dropping });
  return query ? { path: to.path, query, hash: to.hash } : true;
});

// Every page but the login page needs a signed-in user; a wall screen may instead carry ?token=.
router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (to.name === 'screen' && typeof to.query.token === 'string') return true;
  if (!session.loaded) {
    try {
      await loadMe();
    } catch {
      // The server is unreachable: let the page show its own error state.
      return true;
    }
  }
  if (!session.me) return { name: 'login', query: { next: to.fullPath } };
  // An initial password must be changed first (the API refuses everything else until then).
  if (session.me.mustChangePassword) return { name: 'login', query: { change: '1', next: to.fullPath } };
  const roles = to.meta.roles as string[] | undefined;
  if (roles && !roles.includes(session.me.role)) return { name: 'home' };
  return true;
});

setUnauthorizedHandler(() => {
  session.me = null;
  const here = router.currentRoute.value;
  if (!here.meta.public && !(here.name === 'screen' && here.query.token)) {
    void router.push({ name: 'login', query: { next: here.fullPath } });
  }
});

const PRODUCT = '吉林省离校未就业高校毕业生服务攻坚行动';
router.afterEach((to) => {
  const title = to.meta.title ?? '';
  document.title = title && to.name !== 'home' ? `${title} · ${PRODUCT}` : PRODUCT;
});
