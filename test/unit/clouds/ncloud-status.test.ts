// CDSS status readings (spec ncloud-cdss-api.md §4.1): the provisioning lifecycle and the process
// health colours, each a closed vocabulary where anything unrecognised reads as unknown.
import { describe, expect, it } from 'vitest';
import { classifyClusterStatus, healthColour } from '../../../src/clouds/ncloud/status.ts';

describe('CDSS cluster status (§4.1)', () => {
  it.each(['creating', 'changing', 'running', 'error', 'deleting', 'return'])('%s is one of the six documented phases', (raw) => {
    expect(classifyClusterStatus(raw)).toBe(raw);
  });

  it('ignores case and surrounding whitespace', () => {
    expect(classifyClusterStatus('  Running ')).toBe('running');
    expect(classifyClusterStatus('CREATING')).toBe('creating');
  });

  it.each([null, undefined, '', 'runing', 'stopped', 'run ning'])('reads %j as unknown', (raw) => {
    expect(classifyClusterStatus(raw)).toBe('unknown');
  });
});

describe('CDSS health colour (§4.1)', () => {
  it.each(['green', 'yellow', 'orange', 'red', 'gray'])('%s is a documented colour', (raw) => {
    expect(healthColour(raw)).toBe(raw);
  });

  it('reads the spelling grey as gray', () => {
    expect(healthColour('grey')).toBe('gray');
    expect(healthColour(' GREY ')).toBe('gray');
  });

  it('ignores case and surrounding whitespace', () => {
    expect(healthColour(' Green ')).toBe('green');
    expect(healthColour('RED')).toBe('red');
  });

  it.each([null, undefined, '', 'blue', 'greenish'])('reads %j as unknown', (raw) => {
    expect(healthColour(raw)).toBe('unknown');
  });
});
