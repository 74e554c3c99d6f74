import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import 'element-plus/dist/index.css';
import './styles.css';
import App from './App.vue';
import router from './router';
import { onUnauthorized } from './api';
import { useAuthStore } from './stores/auth';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(router);
app.use(ElementPlus, { locale: zhCn });

// A 401 from any call means the session is gone (expired, signed out elsewhere, password
// changed): forget it and go to the sign-in page, coming back here afterwards.
onUnauthorized(() => {
  const auth = useAuthStore(pinia);
  auth.clear();
  const cur = router.currentRoute.value;
  if (cur.name !== 'login') {
    router.replace({ name: 'login', query: cur.fullPath && cur.fullPath !== '/' ? { redirect: cur.fullPath } : {} });
  }
});

app.mount('#app');
