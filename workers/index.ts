import { createApp } from '@/app';
import type { AppEnv } from '@/env';

export { StockDO } from '@do/stock';

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<AppEnv>;
