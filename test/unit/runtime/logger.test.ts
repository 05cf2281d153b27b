import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redact, scrubString } from '../../../src/runtime/logger.ts';

// Obviously fake values, assembled at run time so nothing credential-shaped sits in the source.
const fakeSecret = ['not', 'a', 'real', 'secret', 'value', '0000'].join('-');

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { log: createLogger({ pretty: false, destination }), lines };
}

describe('log redaction', () => {
  it('censors secret-named fields at any depth but keeps references readable', () => {
    const out = redact({
      spec: { credentialsSecretRef: { name: 'creds' }, admin: { password: fakeSecret } },
      secretKey: fakeSecret,
    }) as any;
    expect(out.spec.credentialsSecretRef).toEqual({ name: 'creds' });
    expect(out.spec.admin.password).toBe('[REDACTED]');
    expect(out.secretKey).toBe('[REDACTED]');
  });

  it('scrubs credential-looking strings', () => {
    expect(scrubString(`Authorization: Bearer ${fakeSecret}`)).not.toContain(fakeSecret);
    expect(scrubString(`x-ncp-apigw-signature-v2: ${fakeSecret}`)).not.toContain(fakeSecret);
    expect(scrubString(`{"credential-secret":"${fakeSecret}"}`)).not.toContain(fakeSecret);
  });

  it('never writes a secret, whether in a field, a nested error or the message', () => {
    const { log, lines } = capture();
    log.info({ headers: { Authorization: `Bearer ${fakeSecret}` }, accessKey: fakeSecret }, 'calling the cloud');
    log.error({ err: new Error(`request failed with credential-secret=${fakeSecret}`) }, 'failed');
    log.warn(`token Bearer ${fakeSecret} rejected`);
    const all = lines.join('');
    expect(lines).toHaveLength(3);
    expect(all).not.toContain(fakeSecret);
    expect(all).toContain('[REDACTED]');
  });
});
