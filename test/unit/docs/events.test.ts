// The Events table of docs/operations.md is the list users filter on: it must be exactly the
// reasons the operator records (src/resources/core/events.ts), with their types and meanings.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventReasons } from '../../../src/resources/core/events.ts';

const doc = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');

function documented(): Array<[string, string, string]> {
  const section = doc.slice(doc.indexOf('### Events'), doc.indexOf('\n### ', doc.indexOf('### Events') + 1));
  return [...section.matchAll(/^\| `(\w+)` \| (Normal|Warning) \| (.+) \|$/gm)].map((m) => [m[1]!, m[2]!, m[3]!.replaceAll('`', '')]);
}

describe('docs/operations.md#events', () => {
  it('lists every Event reason the operator records, with its type and meaning, and no other', () => {
    const inCode = Object.entries(eventReasons).map(([reason, r]): [string, string, string] => [reason, r.type, r.doc]);
    expect(documented()).toEqual(inCode);
  });
});
