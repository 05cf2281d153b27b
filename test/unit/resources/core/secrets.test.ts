// Reading one value out of a Secret (core/secrets.ts): what a missing Secret, a missing key and an
// empty value each say, the base64 decoding, and that no message ever carries a value.
import { describe, expect, it } from 'vitest';
import { InvalidSpecError } from '../../../../src/runtime/errors.ts';
import { readSecretKey, SecretMissingError, type SecretSource } from '../../../../src/resources/core/secrets.ts';

// An obviously fake password, built at run time.
const password = ['not', 'a', 'real', 'pässword'].join('-');

/** Secrets as the cache holds them: `data` values base64-encoded. */
function source(secrets: Record<string, Record<string, string>>): SecretSource {
  return {
    get: (key) => {
      const data = secrets[key];
      if (!data) return undefined;
      const [namespace, name] = key.split('/');
      return { metadata: { name: name!, namespace, uid: 'u', resourceVersion: '1' }, data };
    },
  };
}
const b64 = (v: string) => Buffer.from(v, 'utf8').toString('base64');

function failure(secrets: SecretSource, key: string): SecretMissingError {
  try {
    readSecretKey(secrets, 'team-a', 'db', key, 'the database password');
  } catch (err) {
    return err as SecretMissingError;
  }
  throw new Error('expected readSecretKey to fail');
}

describe('readSecretKey', () => {
  it('returns the value decoded from base64 as UTF-8', () => {
    const secrets = source({ 'team-a/db': { password: b64(password) } });
    expect(readSecretKey(secrets, 'team-a', 'db', 'password', 'the database password')).toBe(password);
  });

  it('reads only the namespace and name asked for', () => {
    const secrets = source({ 'team-b/db': { password: b64(password) } });
    expect(failure(secrets, 'password').reason).toBe('SecretNotFound');
  });

  const cases: Array<[string, Record<string, Record<string, string>>, string, string]> = [
    ['a Secret that does not exist is SecretNotFound, naming it', {}, 'SecretNotFound', 'team-a/db'],
    ['a key the Secret lacks is SecretKeyMissing, naming the key', { 'team-a/db': { user: b64('admin') } }, 'SecretKeyMissing', 'password'],
    [
      'an empty value counts as missing (an unset field, not an empty password)',
      { 'team-a/db': { password: '' } },
      'SecretKeyMissing',
      'password',
    ],
  ];
  it.each(cases)('%s', (_why, secrets, reason, named) => {
    const err = failure(source(secrets), 'password');
    expect(err).toBeInstanceOf(SecretMissingError);
    expect(err.reason).toBe(reason);
    expect(err.message).toContain(named);
    expect(err.message).toContain('the database password');
  });

  it('a Secret with no data at all lacks every key', () => {
    const secrets: SecretSource = { get: () => ({ metadata: { name: 'db', namespace: 'team-a', uid: 'u', resourceVersion: '1' } }) };
    expect(failure(secrets, 'password').reason).toBe('SecretKeyMissing');
  });

  it('a missing Secret or key is an invalid spec: it waits for a change rather than retrying', () => {
    expect(failure(source({}), 'password')).toBeInstanceOf(InvalidSpecError);
  });

  it('no message carries a value of the Secret, encoded or not', () => {
    const secrets = source({ 'team-a/db': { other: b64(password), empty: '' } });
    for (const key of ['password', 'empty']) {
      const err = failure(secrets, key);
      expect(err.message).not.toContain(password);
      expect(err.message).not.toContain(b64(password));
    }
  });
});
