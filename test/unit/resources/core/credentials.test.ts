// Which cloud credentials a resource uses, and the one client kept per credential and endpoint
// (core/credentials.ts), with Secrets held in memory as a pass reads them.
import { describe, expect, it } from 'vitest';
import { CloudClients } from '../../../../src/resources/core/credentials.ts';
import { SecretMissingError } from '../../../../src/resources/core/secrets.ts';
import { MemorySecrets } from '../../../support/memory-store.ts';

// Obviously fake credentials, built at run time.
const alice = { id: ['alice', 'id'].join('-'), secret: ['alice', 'secret', 'value'].join('-') };
const ops = { id: ['ops', 'id'].join('-'), secret: ['ops', 'secret', 'value'].join('-') };

interface Client {
  endpoint: string;
  id: string;
  secret: string;
}

function fixture(defaultSecret?: string) {
  const secrets = new MemorySecrets();
  secrets.set('team-a', 'mine', { key: alice.id, secretKey: alice.secret });
  secrets.set('ops', 'cloud', { key: ops.id, secretKey: ops.secret });
  const connected: Client[] = [];
  const clients = new CloudClients<Client>({
    keys: ['key', 'secretKey'],
    what: 'Example credentials',
    defaultSecret,
    connect: (endpoint, id, secret) => {
      const c = { endpoint, id, secret };
      connected.push(c);
      return c;
    },
  });
  return { secrets, clients, connected };
}

describe('CloudClients: which Secret', () => {
  it("a resource that names a Secret uses it, from the resource's own namespace, even with a default configured", () => {
    const { clients, secrets } = fixture('ops/cloud');
    expect(clients.secretOf('team-a', { name: 'mine' })).toEqual({ namespace: 'team-a', name: 'mine' });
    expect(clients.credentials(secrets, 'team-a', { name: 'mine' })).toEqual([alice.id, alice.secret]);
  });

  it('a resource that names none uses the operator-wide default, split into its namespace and name', () => {
    const { clients, secrets } = fixture('ops/cloud');
    expect(clients.secretOf('team-a', undefined)).toEqual({ namespace: 'ops', name: 'cloud' });
    expect(clients.credentials(secrets, 'team-a', undefined)).toEqual([ops.id, ops.secret]);
  });

  it('the Secret a pass must read for them: the named one, else the default, else none', () => {
    expect(fixture('ops/cloud').clients.secretKey('team-a', { name: 'mine' })).toBe('team-a/mine');
    expect(fixture('ops/cloud').clients.secretKey('team-a', undefined)).toBe('ops/cloud');
    expect(fixture().clients.secretKey('team-a', undefined)).toBeUndefined();
  });

  it('with neither, the resource stalls as CredentialsMissing, naming the field to set and the credentials meant', () => {
    const { clients, secrets, connected } = fixture();
    const err = (() => {
      try {
        return clients.get(secrets, 'team-a', undefined, 'https://cloud.example');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SecretMissingError);
    expect((err as SecretMissingError).reason).toBe('CredentialsMissing');
    expect((err as Error).message).toContain('spec.credentialsSecretRef');
    expect((err as Error).message).toContain('Example credentials');
    expect(connected).toEqual([]);
  });

  it('a named Secret that does not exist is SecretNotFound, never a fall back to the default', () => {
    const { clients, secrets } = fixture('ops/cloud');
    expect(() => clients.credentials(secrets, 'team-a', { name: 'absent' })).toThrow(
      expect.objectContaining({ reason: 'SecretNotFound', message: expect.stringContaining('team-a/absent') }),
    );
  });
});

describe('CloudClients: one client per credential and endpoint', () => {
  it('connects with the endpoint and the two decoded values of the Secret', () => {
    const { clients, secrets } = fixture();
    expect(clients.get(secrets, 'team-a', { name: 'mine' }, 'https://cloud.example')).toEqual({
      endpoint: 'https://cloud.example',
      id: alice.id,
      secret: alice.secret,
    });
  });

  it('the same credential at the same endpoint is the same client, so its rate limit is shared', () => {
    const { clients, secrets, connected } = fixture('ops/cloud');
    const first = clients.get(secrets, 'team-a', { name: 'mine' }, 'https://cloud.example');
    expect(clients.get(secrets, 'team-a', { name: 'mine' }, 'https://cloud.example')).toBe(first);
    expect(connected).toHaveLength(1);
  });

  it('two Secrets holding the same values share one client (it is the credential that counts, not the Secret)', () => {
    const { clients, secrets, connected } = fixture();
    secrets.set('team-b', 'copy', { key: alice.id, secretKey: alice.secret });
    expect(clients.get(secrets, 'team-b', { name: 'copy' }, 'https://cloud.example')).toBe(
      clients.get(secrets, 'team-a', { name: 'mine' }, 'https://cloud.example'),
    );
    expect(connected).toHaveLength(1);
  });

  it('another credential, a changed Secret value or another endpoint each get a client of their own', () => {
    const { clients, secrets, connected } = fixture('ops/cloud');
    const mine = clients.get(secrets, 'team-a', { name: 'mine' }, 'https://cloud.example');
    const theDefault = clients.get(secrets, 'team-a', undefined, 'https://cloud.example');
    const elsewhere = clients.get(secrets, 'team-a', { name: 'mine' }, 'https://other-region.example');
    secrets.set('team-a', 'mine', { key: alice.id, secretKey: 'rotated' });
    const rotated = clients.get(secrets, 'team-a', { name: 'mine' }, 'https://cloud.example');
    expect(new Set([mine, theDefault, elsewhere, rotated]).size).toBe(4);
    expect(rotated).toMatchObject({ id: alice.id, secret: 'rotated' });
    expect(connected).toHaveLength(4);
  });
});
