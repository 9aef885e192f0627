// The User-Agent of every request caseline makes to a provider (SPEC 3.6): `caseline/<version>`,
// the version of package.json, so a provider's support can tell our traffic apart.
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

export const USER_AGENT = `caseline/${version}`;
