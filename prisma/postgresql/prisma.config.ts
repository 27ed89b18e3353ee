import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';
import { useEnginePlaceholderIfOffline } from '../engine-override.ts';

useEnginePlaceholderIfOffline();

export default defineConfig({
  schema: fileURLToPath(new URL('.', import.meta.url)),
  migrations: { path: fileURLToPath(new URL('./migrations', import.meta.url)) },
});
