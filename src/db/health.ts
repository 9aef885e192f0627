// Whether the database can do its work: answer, and take a write. A write that changes nothing
// (an update matching no row) still needs write access, so a read-only SQLite file or a
// read-only PostgreSQL session fails it while every read still works.
import { sql } from 'kysely';
import type { Db } from './dialect.ts';

export async function checkWritable(db: Db): Promise<void> {
  await sql`UPDATE caseline_migrations SET applied_at = applied_at WHERE version < 0`.execute(db.kysely);
}
