// What a TLS server shows a client, for the tests of the secure metrics server.
import type { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';

/** The certificate a TLS handshake with 127.0.0.1:`port` presents (not verified). */
export function presentedCertificate(port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const c = s.getPeerX509Certificate();
      s.end();
      if (c) resolve(c);
      else reject(new Error('no certificate'));
    });
    s.on('error', reject);
  });
}
