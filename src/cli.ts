// The `caseline` command: the only place, with main.ts, that picks concrete implementations.
// Each command loads what it needs when it runs, so `--help` and quick commands start fast. A
// failure ends as one line naming the cause and the fix, exit code 1 (src/cli/errors.ts).
import { Command } from 'commander';
import { debugWanted, reportFailure } from './cli/errors.ts';
import { readConfig, type Config } from './config.ts';
import { redactUrl } from './db/url.ts';
import type { Db } from './db/dialect.ts';
import type { Clock } from './app/ports/clock.ts';
import type { Store } from './app/ports/store.ts';
import { PlainError } from './plain-error.ts';
import { VERSION } from './version.ts';

const program = new Command('caseline')
  .description('Messaging engine for case-management programs')
  .version(`caseline ${VERSION}`, '-V, --version', 'print the version')
  .option('--debug', 'on failure, print the stack trace too')
  // Commander's usage errors ("error: unknown option '--x'") in the same one-line form as ours.
  .configureOutput({
    outputError: (text, write) =>
      write(
        `caseline: ${text.replace(/^error: /, '').trim()} — caseline --help lists the commands, caseline <command> --help their arguments\n`,
      ),
  });

// Output piped into a command that stops reading (`caseline doctor | head`) ends the command
// quietly, as a Unix command does, rather than with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** How long a command waits for a PostgreSQL server that refuses connections. */
const CLI_PATIENCE_MS = 5_000;

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
    const config = readConfig();
    const { openAndMigrate } = await import('./db/reach.ts');
    const { db, applied } = await openAndMigrate(config.databaseUrl, { patienceMs: CLI_PATIENCE_MS });
    await db.close();
    console.log(
      applied === 0
        ? `database is up to date (${describe(config)})`
        : `applied ${applied} migration(s) to ${describe(config)}`,
    );
  });

program
  .command('doctor')
  .description(
    'check the configuration, database, migrations, gateways, public URL and SMTP; say what to fix',
  )
  .action(async () => {
    const { doctor } = await import('./cli/doctor.ts');
    process.exitCode = await doctor(process.env, (line) => console.log(line));
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
    const { runConformance } = await import('./conformance/runner.ts');
    const result = await runConformance(paths, { database: options.database }, (line) => console.log(line));
    process.exitCode = result.failed === 0 ? 0 : 1;
  });

/** The database, without its password. */
const describe = (config: Config): string => redactUrl(config.databaseUrl);

/** The migrated database of DATABASE_URL, or a PlainError within CLI_PATIENCE_MS. */
async function openMigratedForCli(config: Config): Promise<Db> {
  const { openMigrated } = await import('./db/reach.ts');
  return openMigrated(config.databaseUrl, { patienceMs: CLI_PATIENCE_MS });
}

/** Runs fn on the migrated database of DATABASE_URL. */
async function withStore(fn: (deps: { store: Store; clock: Clock }) => Promise<void>): Promise<void> {
  const config = readConfig();
  const [{ createStore }, { systemClock }] = await Promise.all([
    import('./db/store.ts'),
    import('./clock.ts'),
  ]);
  const db = await openMigratedForCli(config);
  try {
    await fn({ store: createStore(db), clock: systemClock });
  } catch (error) {
    throw await explainUnknownProject(error, db, config);
  } finally {
    await db.close();
  }
}

/**
 * "no project 'x'" from a command usually means the command opened another database than the
 * server's (another DATABASE_URL or data directory): say which database and what it holds.
 */
async function explainUnknownProject(error: unknown, db: Db, config: Config): Promise<unknown> {
  const field = typeof error === 'object' && error !== null && 'field' in error ? error.field : null;
  if (field !== 'project' || !(error instanceof Error) || !error.message.startsWith('no project'))
    return error;
  const rows = await db.kysely.selectFrom('projects').select('id').orderBy('id').limit(11).execute();
  const known = rows.map((row) => row.id);
  const holds =
    known.length === 0
      ? 'which has no projects yet'
      : `which has ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''}`;
  return new PlainError(
    `${error.message} in ${describe(config)}, ${holds}`,
    known.length === 0
      ? "create the project (PUT /api/v1/projects/<id> or the console), or set DATABASE_URL / CASELINE_DATA_DIR to the server's"
      : "check the name, or set DATABASE_URL / CASELINE_DATA_DIR to the server's",
    { cause: error },
  );
}

program
  .command('why')
  .description('will this contact get messages, and if not, why')
  .argument('<project>', 'project id')
  .argument('<contact>', 'case:ID, mobile_worker:ID, or an id (a case first, then a mobile worker)')
  .option('--json', 'print the status as JSON')
  .action(async (projectId: string, contact: string, options: { json?: boolean }) => {
    await withStore(async (deps) => {
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
    const days = Number(options.days);
    if (!Number.isFinite(days) || days <= 0 || days > 366)
      throw new PlainError(`--days ${options.days} is not a number of days from 1 to 366`, 'e.g. --days 7');
    await withStore(async (deps) => {
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
    if (options.kind !== 'cases' && options.kind !== 'mobile_workers')
      throw new PlainError(
        `--kind ${options.kind} is not a kind of import`,
        'use --kind cases or --kind mobile_workers',
      );
    const kind = options.kind;
    // Before the database is opened: a wrong path is the likelier mistake.
    const { access, stat } = await import('node:fs/promises');
    await access(file);
    if ((await stat(file)).isDirectory())
      throw new PlainError(`${file} is a folder`, 'give the path of a .csv or .xlsx file');
    await withStore(async (deps) => {
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
      await withStore(async (deps) => {
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

// Each subcommand's name, for the failure line ("caseline import: ...").
let running = '';
program.hook('preAction', (_program, command) => {
  running = command.name() === 'serve' || command.name() === 'worker' ? '' : command.name();
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error, running, debugWanted(process.argv, process.env));
}
