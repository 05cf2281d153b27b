// Which change disturbs whom is one table per kind in the code (`disruptions` in each kind's
// plan.ts), mirrored in docs/changing-safely.md: the doc's tables must be exactly the code's, row
// for row in the code's order (action, class, why, source), for every kind and no other. The
// classes, the waitingFor values and the gate's Events the page lists are the code's too.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { disruptions as classes, waitingFor, type DisruptionTable } from '../../../src/resources/core/changes.ts';
import { eventReasons } from '../../../src/resources/core/events.ts';
import { disruptions as hadoopEco } from '../../../src/resources/hadoop-eco/plan.ts';
import { disruptions as kafkaConfigGroup } from '../../../src/resources/kafka-config-group/plan.ts';
import { disruptions as kafka } from '../../../src/resources/kafka/plan.ts';

const doc = readFileSync(new URL('../../../docs/changing-safely.md', import.meta.url), 'utf8');

const tables: Record<string, DisruptionTable> = { HadoopEcoCluster: hadoopEco, KafkaCluster: kafka, KafkaConfigGroup: kafkaConfigGroup };

/** The text under `heading` (a whole line), up to the next heading of the same level or above. */
function section(heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/changing-safely.md has no heading "${heading}"`);
  const level = heading.indexOf(' ');
  const rest = doc.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/** The body rows of the first table in `text`, as cells (the header and the `---` line left out). */
function rows(text: string): string[][] {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.startsWith('| '));
  if (first < 0) return [];
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  return lines.slice(first + 2, end < 0 ? undefined : end).map((l) => (l.endsWith(' |') ? l.slice(2, -2) : l).split(' | '));
}

const unquote = (cell: string) => cell.replaceAll('`', '');

describe('docs/changing-safely.md', () => {
  it('has a disruption table for every kind with one, and no other', () => {
    const documented = [...section('## Which change is which').matchAll(/^### (\w+)$/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(tables).sort());
  });

  for (const [kind, table] of Object.entries(tables)) {
    it(`${kind}: the table is the code's, row for row (action, disruption, why, source)`, () => {
      const inDoc = rows(section(`### ${kind}`)).map(([action, disruption, why, source, ...rest]) => {
        expect(rest, `a row of ${kind} has more than four cells`).toEqual([]);
        return { action: action && /^`\w+`$/.test(action) ? unquote(action) : action, disruption, why, source };
      });
      const inCode = Object.entries(table).map(([action, r]) => ({ action, disruption: r.disruption, why: r.why, source: r.source }));
      expect(inDoc).toEqual(inCode);
    });
  }

  it('lists the disruption classes and the waitingFor values the code has, in its order', () => {
    expect(rows(section('## Disruption classes')).map(([c]) => unquote(c!))).toEqual([...classes]);
    const plan = section('## The plan, visible: `status.pendingChanges`');
    const waiting = plan.slice(plan.indexOf('| `waitingFor` | meaning |'));
    expect(rows(waiting).map(([w]) => unquote(w!))).toEqual([...waitingFor]);
  });

  it("lists the gate's Events with the types and meanings of src/resources/core/events.ts", () => {
    const inDoc = rows(section('## Events')).map(([reason, type, when]) => [unquote(reason!), type, unquote(when!)]);
    const inCode = Object.entries(eventReasons)
      .filter(([, r]) => r.action === 'Gate')
      .map(([reason, r]) => [reason, r.type, r.doc]);
    expect(inDoc).toEqual(inCode);
  });
});
