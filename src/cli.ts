// The `caseline` command: the only place, with main.ts, that picks concrete implementations.
import { Command } from 'commander';
import { readConfig } from './config.ts';
import { openDatabase } from './db/connection.ts';
import { runConformance } from './conformance/runner.ts';
import { InputError } from './lib/input.ts';
import { createStore } from './db/store.ts';
import { systemClock } from './clock.ts';

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
  .option(
    '--database <url>',
    'postgres://... to run each scenario in a fresh schema there (default: in-memory SQLite)',
  )
  .action(async (paths: string[], options: { database?: string }) => {
    const result = await runConformance(paths, { database: options.database }, (line) => console.log(line));
    process.exitCode = result.failed === 0 ? 0 : 1;
  });

/** Runs fn on the migrated database of DATABASE_URL; an InputError is a usage error (exit 2). */
async function withStore(
  command: string,
  fn: (deps: { store: ReturnType<typeof createStore>; clock: typeof systemClock }) => Promise<void>,
): Promise<void> {
  const db = await openDatabase(readConfig().databaseUrl);
  try {
    await db.migrate();
    await fn({ store: createStore(db), clock: systemClock });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(`caseline ${command}: ${error.describe()}`);
    process.exitCode = 2;
  } finally {
    await db.close();
  }
}

program
  .command('why')
  .description('will this contact get messages, and if not, why')
  .argument('<project>', 'project id')
  .argument('<contact>', 'case:ID, mobile_worker:ID, or an id (a case first, then a mobile worker)')
  .option('--json', 'print the status as JSON')
  .action(async (projectId: string, contact: string, options: { json?: boolean }) => {
    await withStore('why', async (deps) => {
      const { explainContact } = await import('./cli/why.ts');
      console.log(await explainContact(deps.store, projectId, contact, options.json ?? false));
    });
  });

program
  .command('preview')
  .description('what an alert or broadcast would send in the next days: recipient, local time, UTC, text')
  .argument('<project>', 'project id')
  .argument('<id>', 'the alert or broadcast id')
  .option('--days <n>', 'how many days ahead', '7')
  .option('--json', 'print JSON')
  .action(async (projectId: string, id: string, options: { days: string; json?: boolean }) => {
    await withStore('preview', async (deps) => {
      const days = Number(options.days);
      if (!Number.isFinite(days) || days <= 0 || days > 366)
        throw new InputError('days', 'must be a number of days from 1 to 366');
      const { printPreview } = await import('./cli/preview.ts');
      console.log(await printPreview(deps, projectId, id, days, options.json ?? false));
    });
  });

program
  .command('import')
  .description('import cases or mobile workers from a CSV or XLSX file (a progress bar on a terminal)')
  .argument('<file>', 'a .csv or .xlsx file whose first row names the columns')
  .requiredOption('--project <id>', 'the project to import into')
  .option('--kind <kind>', 'cases or mobile_workers', 'cases')
  .addHelpText(
    'after',
    `
Cases: columns id (required), type, name, owner, closed; every other column is a case property.
Mobile workers: id, username, name, phone_numbers (separated by ; or spaces), email, language,
time_zone, active. Empty cells change nothing. A bad row is reported by row and column and
nothing of it is imported; the other rows are.`,
  )
  .action(async (file: string, options: { project: string; kind: string }) => {
    if (options.kind !== 'cases' && options.kind !== 'mobile_workers') {
      console.error(`caseline import: --kind must be cases or mobile_workers, not '${options.kind}'`);
      process.exitCode = 2;
      return;
    }
    const kind = options.kind;
    await withStore('import', async (deps) => {
      const { importFile } = await import('./cli/import.ts');
      const { report, lines } = await importFile(deps, file, options.project, kind);
      const [summary, ...errors] = lines;
      console.log(summary);
      for (const line of errors) console.error(line);
      if (report.errors.length > 0) process.exitCode = 1;
    });
  });

program
  .command('send')
  .description('send one message now (queued; a running server or worker hands it to the gateway)')
  .argument('<project>', 'project id')
  .argument('<to>', 'case:ID, mobile_worker:ID or a phone number')
  .argument('<text>', 'the text')
  .option('--email', 'send an e-mail instead of an SMS')
  .option('--subject <subject>', 'the e-mail subject')
  .action(
    async (projectId: string, to: string, text: string, options: { email?: boolean; subject?: string }) => {
      await withStore('send', async (deps) => {
        const { sendFromCli } = await import('./cli/send.ts');
        const result = await sendFromCli(deps, projectId, to, text, {
          ...(options.email ? { channel: 'email' as const } : {}),
          ...(options.subject !== undefined ? { subject: options.subject } : {}),
        });
        for (const line of result.lines) (result.ok ? console.log : console.error)(line);
        if (!result.ok) process.exitCode = 1;
      });
    },
  );

program
  .command('bench')
  .description('benchmarks, each against a raw baseline of the same work (BENCHMARKS.md)')
  .option(
    '--database <url>',
    'postgres://... to run in a fresh schema there, dropped afterwards (default: temporary SQLite files)',
  )
  .option('--quick', 'every benchmark at a tenth of its size, the slowest stopped after 10 s (BENCHMARKS.md)')
  .option('--json <file>', 'also write the results as JSON (and the scale-out chart beside it, FILE.svg)')
  .option('--chart <file>', 'write the scale-out chart (SVG) here')
  .option('--from <files>', 'with --chart: chart these comma-separated JSON results instead of running')
  .option(
    '--only <names>',
    'comma-separated: outbound, fanout, alert, ingest, inbound, due_latency, scaleout',
  )
  .option('--breakdown', 'time every store call of the caseline side and list the longest')
  .action(
    async (options: {
      database?: string;
      quick?: boolean;
      json?: string;
      chart?: string;
      from?: string;
      only?: string;
      breakdown?: boolean;
    }) => {
      const { benchCommand } = await import('./bench/command.ts');
      process.exitCode = await benchCommand(options);
    },
  );

await program.parseAsync(process.argv);
