// Reading the words of an inbound SMS: `#` commands and project keywords of two-way contacts
// (SPEC 5 step 4) and `JOIN` self-registration of unknown numbers (step 5). Words are separated
// by any whitespace; command and keyword words compare case-insensitively.

export type Command =
  /** `#START <keyword> [rest]`: run that keyword as if `text` (the keyword and what follows) had been sent. */
  | { kind: 'start'; keyword: string; text: string }
  /** `#STOP`: close the open survey. */
  | { kind: 'stop' }
  /** `#CURRENT`: send the current survey question again. */
  | { kind: 'current' }
  /** Any other `#` word, as typed (`#FOO`): answered "Unknown command". */
  | { kind: 'unknown'; command: string };

/**
 * The `#` command in `text`, or null when the trimmed text does not start with `#`. Words after
 * `#STOP` and `#CURRENT` are ignored. `#START` without a keyword is `unknown` (command
 * `#START`): the project texts have no usage message, and "Unknown command: '#START'" tells
 * the sender the command is incomplete. `#` alone, or `# START`, is the unknown command `#`.
 */
export function parseCommand(text: string): Command | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('#')) return null;
  const [command = '', ...rest] = words(trimmed);
  switch (command.toUpperCase()) {
    case '#START': {
      const keyword = rest[0];
      if (keyword === undefined) return { kind: 'unknown', command };
      return { kind: 'start', keyword: keyword.toUpperCase(), text: restAfterFirstWord(trimmed) };
    }
    case '#STOP':
      return { kind: 'stop' };
    case '#CURRENT':
      return { kind: 'current' };
    default:
      return { kind: 'unknown', command };
  }
}

/** The key a keyword is unique by in its project, and looked up by: trimmed, upper case. */
export const keywordKey = (word: string): string => word.trim().toUpperCase();

/** The first word of `text`, upper-cased (a keyword's lookup key); '' for blank text. */
export function firstWord(text: string): string {
  return (words(text)[0] ?? '').toUpperCase();
}

/** What follows the first word, trimmed, as typed; '' when there is nothing more. */
export function restAfterFirstWord(text: string): string {
  const trimmed = text.trim();
  const match = /\s/.exec(trimmed);
  return match ? trimmed.slice(match.index).trim() : '';
}

export type Join =
  | { project: string; worker: false }
  /** `username` null: the sender's number becomes the username (as in the original). */
  | { project: string; worker: true; username: string | null };

/**
 * `JOIN <project>` (register a case) or `JOIN <project> WORKER [username]` (register a mobile
 * worker); null for anything else. `JOIN` and `WORKER` are case-insensitive; the project id and
 * username are kept as typed. As in the original (`process_sms_registration`), words past
 * those are ignored: `JOIN clinic please` asks for a case.
 */
export function parseJoin(text: string): Join | null {
  const [join, project, worker, username] = words(text);
  if (join?.toUpperCase() !== 'JOIN' || project === undefined) return null;
  if (worker?.toUpperCase() === 'WORKER') return { project, worker: true, username: username ?? null };
  return { project, worker: false };
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}
