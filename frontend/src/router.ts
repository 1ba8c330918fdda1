import { createRouter, createWebHistory } from 'vue-router';
import HomePage from './pages/HomePage.vue';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'home', component: HomePage, meta: { title: '首页' } },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: '页面不存在' } },
  ],
});

const PRODUCT = '吉林省离校未就业高校毕业生服务攻坚行动';
router.afterEach((to) => {
  const title = to.meta.title ?? '';
  document.title = title && to.name !== 'home' ? `${title} · ${PRODUCT}` : PRODUCT;
});
