// The machine has no CJK fonts and a wall must not depend on the host's: bundle
// Noto Sans SC (the simplified-Chinese subset also carries Latin and digits).
import '@fontsource/noto-sans-sc/chinese-simplified-400.css';
import '@fontsource/noto-sans-sc/chinese-simplified-700.css';
import './styles.css';
import './pocket.css';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';

createApp(App).use(router).mount('#app');
