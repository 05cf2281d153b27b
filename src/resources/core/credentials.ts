// Which cloud credentials a resource uses: the Secret it names (same namespace only, never
// another namespace's), else the operator-wide default a cluster admin configured. One client per
// credential and endpoint is kept, so its token bucket limits that tenant's request rate. The
// values come from the Secrets the pass has read (secrets.ts), handed in with each call.
import { createHash } from 'node:crypto';
import { readSecretKey, SecretMissingError, type SecretSource } from './secrets.ts';

export interface SecretRef {
  namespace: string;
  name: string;
}

/** The two Secret keys of a credential, and what they are called in messages. */
export interface CredentialKeys {
  /** e.g. ['credentialId', 'credentialSecret']. */
  keys: readonly [string, string];
  /** What the credentials are, for messages ("KakaoCloud credentials"). */
  what: string;
}

export interface ClientCacheOptions<C> extends CredentialKeys {
  /** "namespace/name" of the operator-wide default Secret, if configured. */
  defaultSecret?: string | undefined;
  connect: (endpoint: string, id: string, secret: string) => C;
}

export class CloudClients<C> {
  private readonly clients = new Map<string, C>();
  private readonly opts: ClientCacheOptions<C>;

  constructor(opts: ClientCacheOptions<C>) {
    this.opts = opts;
  }

  /** The Secret a resource's credentials come from. */
  secretOf(namespace: string, ref: { name: string } | undefined): SecretRef {
    if (ref) return { namespace, name: ref.name };
    const fallback = this.opts.defaultSecret;
    if (!fallback) {
      throw new SecretMissingError(
        'CredentialsMissing',
        `spec.credentialsSecretRef is not set and the operator has no default ${this.opts.what}`,
      );
    }
    const [ns, name] = fallback.split('/');
    return { namespace: ns ?? '', name: name ?? '' };
  }

  /** "namespace/name" of the Secret a resource's credentials come from; undefined when there is none to read. */
  secretKey(namespace: string, ref: { name: string } | undefined): string | undefined {
    return ref ? `${namespace}/${ref.name}` : this.opts.defaultSecret;
  }

  /** The credential's two values: [id, secret]. */
  credentials(secrets: SecretSource, namespace: string, ref: { name: string } | undefined): [string, string] {
    const s = this.secretOf(namespace, ref);
    const [idKey, secretKey] = this.opts.keys;
    return [
      readSecretKey(secrets, s.namespace, s.name, idKey, this.opts.what),
      readSecretKey(secrets, s.namespace, s.name, secretKey, this.opts.what),
    ];
  }

  get(secrets: SecretSource, namespace: string, ref: { name: string } | undefined, endpoint: string): C {
    const [id, secret] = this.credentials(secrets, namespace, ref);
    // Keyed by a hash: the map must not hold secrets as readable keys.
    const key = createHash('sha256').update(`${endpoint}\u0000${id}\u0000${secret}`).digest('hex');
    let client = this.clients.get(key);
    if (!client) {
      client = this.opts.connect(endpoint, id, secret);
      this.clients.set(key, client);
    }
    return client;
  }
}
