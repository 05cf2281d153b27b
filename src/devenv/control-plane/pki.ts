// Throwaway PKI for a local control plane: one CA that signs both the apiserver's serving cert and
// the client certs used to authenticate as arbitrary users/groups (the apiserver trusts it via
// --client-ca-file), plus a service-account token signing key. Regenerated on every start, so
// nothing here is a secret worth protecting beyond file mode 0600.
import '../../runtime/reflect-metadata-shim.ts';
import { generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

// ECDSA P-256: key generation takes about a millisecond, where RSA-2048 would take ~100 ms each.
const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
// @peculiar/x509 picks up Node's global WebCrypto (globalThis.crypto) on its own.
const crypto = webcrypto;
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** Names the apiserver is reachable under: loopback, plus the in-cluster service names. */
const SERVING_DNS_NAMES = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];
/** 10.0.0.1 is the `kubernetes` service IP for --service-cluster-ip-range=10.0.0.0/24. */
const SERVING_IPS = ['127.0.0.1', '10.0.0.1'];

export interface IssuedCert {
  certPem: string;
  keyPem: string;
  certPath: string;
  keyPath: string;
}

export interface Pki {
  dir: string;
  caCertPem: string;
  caCertPath: string;
  /** Serving cert/key for kube-apiserver (--tls-cert-file / --tls-private-key-file). */
  serving: IssuedCert;
  /** Service-account token signing key (private, PEM) and its public half. */
  serviceAccountKeyPath: string;
  serviceAccountPublicKeyPath: string;
  /** Issues a client cert the apiserver maps to user `user` in groups `groups` (CN / O). */
  issueClientCert(user: string, groups: readonly string[]): Promise<IssuedCert>;
}

function validity(): { notBefore: Date; notAfter: Date } {
  // Backdated a minute so small clock differences never make a fresh cert "not yet valid".
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + 7 * 24 * 3600_000) };
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // keep it positive, as RFC 5280 requires
  return bytes.toString('hex');
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function writePrivate(path: string, pem: string): Promise<void> {
  await writeFile(path, pem, { mode: 0o600 });
}

function safeFileName(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

export async function createPki(dir: string): Promise<Pki> {
  const caKeys = await generateKeys();
  const caName = 'CN=cloud-data-operator local CA';
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: caName,
    ...validity(),
    keys: caKeys,
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const caCertPem = caCert.toString('pem');
  const caCertPath = join(dir, 'ca.crt');
  await writeFile(caCertPath, caCertPem);
  const authorityKeyId = await x509.AuthorityKeyIdentifierExtension.create(caCert);

  let issued = 0;
  async function issue(
    fileStem: string,
    subject: x509.JsonName,
    usage: 'server' | 'client',
    extra: x509.Extension[] = [],
  ): Promise<IssuedCert> {
    const keys = await generateKeys();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject,
      issuer: caCert.subject,
      ...validity(),
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: EC_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension(
          [usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
          false,
        ),
        authorityKeyId,
        ...extra,
      ],
    });
    const certPem = cert.toString('pem');
    const keyPem = await privateKeyPem(keys.privateKey);
    const certPath = join(dir, `${fileStem}.crt`);
    const keyPath = join(dir, `${fileStem}.key`);
    await writeFile(certPath, certPem);
    await writePrivate(keyPath, keyPem);
    return { certPem, keyPem, certPath, keyPath };
  }

  const serving = await issue('apiserver', [{ CN: ['kube-apiserver'] }], 'server', [
    new x509.SubjectAlternativeNameExtension([
      ...SERVING_DNS_NAMES.map((value) => ({ type: 'dns' as const, value })),
      ...SERVING_IPS.map((value) => ({ type: 'ip' as const, value })),
    ]),
  ]);

  // The apiserver signs service-account tokens with this key and verifies them with its public half.
  const sa = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const serviceAccountKeyPath = join(dir, 'sa.key');
  const serviceAccountPublicKeyPath = join(dir, 'sa.pub');
  await writePrivate(serviceAccountKeyPath, sa.privateKey);
  await writeFile(serviceAccountPublicKeyPath, sa.publicKey);

  return {
    dir,
    caCertPem,
    caCertPath,
    serving,
    serviceAccountKeyPath,
    serviceAccountPublicKeyPath,
    issueClientCert(user, groups) {
      issued += 1;
      // One RDN per group: the apiserver reads every O attribute as a group membership.
      const subject: x509.JsonName = [{ CN: [user] }, ...groups.map((g) => ({ O: [g] }))];
      return issue(`client-${safeFileName(user)}-${String(issued)}`, subject, 'client');
    },
  };
}
