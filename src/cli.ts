// The `caseline` command: the only place, with main.ts, that picks concrete implementations.
import { Command } from 'commander';
import { readConfig } from './config.ts';
import { openDatabase } from './db/connection.ts';
import { runConformance } from './conformance/runner.ts';
import { InputError } from './app/validation.ts';
import { createStore } from './db/store.ts';

const program = new Command('caseline').description('Messaging engine for case-management programs');

program
  .command('serve')
  .description('run the HTTP server and a queue worker on DATABASE_URL')
  .action(async () => {
    const { serve } = await import('./main.ts');
    await serve(readConfig());
  });

program
  .command('worker')
  .description('run a queue worker only (add processes to share the work on PostgreSQL)')
  .action(async () => {
    const { work } = await import('./main.ts');
    await work(readConfig());
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const db = await openDatabase(readConfig().databaseUrl);
    const applied = await db.migrate();
    await db.close();
    console.log(applied === 0 ? 'database is up to date' : `applied ${applied} migration(s)`);
  });

program
  .command('conformance')
  .description('run conformance scenarios (files or folders of *.json)')
  .argument('<paths...>', 'scenario files or folders')
  .option('--database <url>', 'postgres://... to run each scenario in a fresh schema there (default: in-memory SQLite)')
  .action(async (paths: string[], options: { database?: string }) => {
    const result = await runConformance(paths, { database: options.database }, (line) => console.log(line));
    process.exitCode = result.failed === 0 ? 0 : 1;
  });

program
  .command('why')
  .description('will this contact get messages, and if not, why')
  .argument('<project>', 'project id')
  .argument('<contact>', 'case:ID, mobile_worker:ID, or an id (a case first, then a mobile worker)')
  .option('--json', 'print the status as JSON')
  .action(async (projectId: string, contact: string, options: { json?: boolean }) => {
    const db = await openDatabase(readConfig().databaseUrl);
    try {
      await db.migrate();
      const { explainContact } = await import('./cli/why.ts');
      console.log(await explainContact(createStore(db), projectId, contact, options.json ?? false));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      console.error(`caseline why: ${error.describe()}`);
      process.exitCode = 2;
    } finally {
      await db.close();
    }
  });

await program.parseAsync(process.argv);
