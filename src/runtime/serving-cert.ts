// The certificate the metrics server presents: from files (CDO_METRICS_CERT_DIR with tls.crt and
// tls.key, as a kubernetes.io/tls Secret, e.g. cert-manager's, mounts them), reloaded when they
// change; or, when no directory is given, a self-signed one generated at start, as
// controller-runtime's metrics server does. The private key stays in memory and is never logged.
import { X509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';

export interface ServingCert {
  certPem: string;
  keyPem: string;
}

/** Reads tls.crt and tls.key from `dir`; throws when either is missing or they do not match. */
export async function readServingCert(dir: string): Promise<ServingCert> {
  const [certPem, keyPem] = await Promise.all([readFile(join(dir, 'tls.crt'), 'utf8'), readFile(join(dir, 'tls.key'), 'utf8')]);
  checkPair({ certPem, keyPem }, dir);
  return { certPem, keyPem };
}

function checkPair(cert: ServingCert, dir: string): void {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert.certPem);
  } catch {
    throw new Error(`${dir}/tls.crt is not a PEM certificate`);
  }
  let matches: boolean;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(cert.keyPem));
  } catch {
    // Not the key's content: the message of a parse failure can quote it.
    throw new Error(`${dir}/tls.key is not a PEM private key`);
  }
  if (!matches) throw new Error(`${dir}/tls.key is not the key of ${dir}/tls.crt`);
}

/**
 * A self-signed certificate (ECDSA P-256, valid a year) for `names` (DNS names or IP addresses):
 * by default localhost, the loopback addresses and the pod's hostname. Nobody can verify it
 * against a CA, so a scraper either skips verification (insecureSkipVerify) or is given a
 * certificate from files instead; either way the traffic is encrypted.
 */
export async function selfSignedCert(names: readonly string[] = ['localhost', hostname(), '127.0.0.1', '::1']): Promise<ServingCert> {
  // Loaded only here: a certificate from files needs none of it. The shim first (see its comment).
  await import('./reflect-metadata-shim.ts');
  const x509 = await import('@peculiar/x509');
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // positive, as RFC 5280 requires
  const now = Date.now();
  const unique = [...new Set(names)];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: `CN=cloud-data-operator-metrics@${String(Math.floor(now / 1000))}`,
    // Backdated a minute so a scraper's clock a little behind never sees "not yet valid".
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * 24 * 3600_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(unique.map((value) => ({ type: isIP(value) ? ('ip' as const) : ('dns' as const), value }))),
    ],
  });
  const keyDer = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem: x509.PemConverter.encode(keyDer, 'PRIVATE KEY') };
}

/**
 * Watches a certificate directory: every `intervalMs` it reads the files again and calls
 * `onChange` when they differ from the last good pair. Polling, not fs.watch: a mounted Secret is
 * updated by swapping a symlink (..data), which inotify on the files themselves does not see, and
 * two small reads every few seconds cost nothing. A half-written or mismatched pair is reported
 * and skipped; the last good certificate stays in use.
 */
export function watchServingCert(
  dir: string,
  current: ServingCert,
  onChange: (cert: ServingCert) => void,
  onError: (err: Error) => void,
  intervalMs = 10_000,
): () => void {
  let last = current;
  let lastError = '';
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    readServingCert(dir)
      .then(
        (next) => {
          lastError = '';
          if (next.certPem === last.certPem && next.keyPem === last.keyPem) return;
          last = next;
          onChange(next);
        },
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          // Once per distinct problem, not every interval.
          if (e.message !== lastError) onError(e);
          lastError = e.message;
        },
      )
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
