import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './workers/**/tables.ts',
  out: './migrations',
  casing: 'snake_case',
});
