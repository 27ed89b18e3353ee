import { Command } from 'commander';
import { createApiKey } from '../services/api-keys.ts';
import { listApiKeys, revokeApiKey } from '../store/api-key-store.ts';
import { prepareDatabase } from '../store/prepare-database.ts';
import { startOfDay } from '../domain/calendar.ts';
import { databaseUrl } from './config.ts';

async function withDatabase(work: (client: Awaited<ReturnType<typeof prepareDatabase>>['database']['client']) => Promise<void>): Promise<void> {
  const { database } = await prepareDatabase(databaseUrl());
  try {
    await work(database.client);
  } finally {
    await database.close();
  }
}

const program = new Command().name('apikey').description('Create, list and revoke API keys (stored hashed; a key is shown once).');

program
  .command('create')
  .requiredOption('--role <role>', 'reader, evaluator, auditor, reviewer or admin')
  .requiredOption('--name <name>', 'who or what the key is for')
  .option('--expires <date>', 'last day the key works (YYYY-MM-DD)')
  .action((options: { role: string; name: string; expires?: string }) => withDatabase(async (client) => {
    const expires = options.expires ? startOfDay(options.expires) : null;
    if (options.expires && !expires) throw new Error('--expires must be a date YYYY-MM-DD');
    const expiresAt = expires ? new Date(expires.getTime() + 86_400_000) : null;
    const { id, token } = await createApiKey(client, { name: options.name, role: options.role, expiresAt });
    console.log(`created key ${id} (${options.role}); send it as "Authorization: Bearer <key>". It is shown only now:\n${token}`);
  }));

program
  .command('revoke')
  .argument('<id>', 'the key id printed by create or list')
  .action((id: string) => withDatabase(async (client) => {
    if (!(await revokeApiKey(client, id, new Date()))) {
      console.error(`no active key ${id}`);
      process.exitCode = 1;
      return;
    }
    console.log(`revoked ${id} (running servers stop accepting it within 30 seconds)`);
  }));

program.command('list').action(() => withDatabase(async (client) => {
  for (const key of await listApiKeys(client)) {
    const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : key.expiresAt ? `expires ${key.expiresAt.toISOString()}` : 'active';
    console.log(`${key.id}  ${key.role.padEnd(9)} ${state.padEnd(36)} ${key.name}`);
  }
}));

await program.parseAsync();
