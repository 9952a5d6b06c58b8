import { createApp } from '@/app';
import type { AppEnv } from '@/env';

export { CartDO } from '@do/cart';

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<AppEnv>;
