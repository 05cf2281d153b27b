// NCP API Gateway signature v2 (spec ncloud-cdss-api.md §2.2, §2.4). The expected values are NOT
// computed by the code under test: they were produced by hand-running the documented algorithm
// with Python's standard library and pasted here as literals:
//
//   python3 -c 'import hmac,hashlib,base64
//   s=lambda m,t,ts,ak,sk: base64.b64encode(hmac.new(sk.encode(),f"{m} {t}\n{ts}\n{ak}".encode(),hashlib.sha256).digest()).decode()
//   print(s("GET","/vserver/v2/getServerInstanceList?responseFormatType=json","1234567890123","TestAccessKey","TestSecretKey"))'
//
// and likewise for the other targets below. `TestAccessKey` / `TestSecretKey` are the spec's
// published test vector (§2.4).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ACCESS_KEY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  requestTarget,
  signV2,
  signedHeaders,
} from '../../../src/clouds/ncloud/signature.ts';

const AK = 'TestAccessKey';
const SK = 'TestSecretKey';

describe('signV2', () => {
  it('reproduces the published check value (§2.4)', () => {
    expect(signV2('GET', '/vserver/v2/getServerInstanceList?responseFormatType=json', '1234567890123', AK, SK)).toBe(
      'FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=',
    );
  });

  it('signs a POST without a query (python3 vector)', () => {
    expect(signV2('POST', '/api/v1/cluster/rollingUpgrade', '1709716893293', AK, SK)).toBe('VCjG2Fpp6HV2QfmbbZNIFAYR+XYRJgvpY0U6jWkLHSk=');
  });

  it('upper-cases the method', () => {
    expect(signV2('post', '/api/v1/cluster/rollingUpgrade', '1709716893293', AK, SK)).toBe('VCjG2Fpp6HV2QfmbbZNIFAYR+XYRJgvpY0U6jWkLHSk=');
  });

  it('signs an encoded query exactly as sent (python3 vector)', () => {
    const url = new URL('https://h.example/api/v1/cluster/getClusterInfoList?inputText=my%20kafka&name=%ED%85%8C');
    expect(requestTarget(url)).toBe('/api/v1/cluster/getClusterInfoList?inputText=my%20kafka&name=%ED%85%8C');
    expect(signV2('POST', requestTarget(url), '1709716893293', AK, SK)).toBe('R//0XxatH4ECYPSfP365o1gDRv5gL5IXpHmhrLRCQp8=');
  });

  it('encodes a non-ASCII secret key and request target as UTF-8 (python3 vector)', () => {
    expect(signV2('GET', '/api/v1/cluster/getClusterInfoList?inputText=%ED%85%8C', '1709716893293', AK, '비밀키-Sécret')).toBe(
      'giarAzfaL11inRb7YDoEF+4fAFHpYM/0javDhugsHqg=',
    );
  });

  it('never signs a lone "?" (python3 vectors for both forms)', () => {
    const url = new URL('https://h.example/api/v1/cluster/getCDSSVersionList?');
    expect(requestTarget(url)).toBe('/api/v1/cluster/getCDSSVersionList');
    const sig = signV2('GET', requestTarget(url), '1709716893293', AK, SK);
    expect(sig).toBe('NGFdM6v4+AWsa3MU8/EmvTt8oOWhUEKrNA0VLMi3DhQ=');
    // What a signer that appends "?" would produce: must differ.
    expect(sig).not.toBe('tMRek01FQ9FqIrKCHmQnfJNLyC9yQhNU8RxkXYeAftk=');
  });
});

describe('signedHeaders', () => {
  it('sends the same timestamp string that was signed', () => {
    const url = new URL('https://h.example/api/v1/cluster/rollingUpgrade');
    const h = signedHeaders({ method: 'POST', url, accessKey: AK, secretKey: SK, now: () => 1709716893293 });
    expect(h).toEqual({
      [TIMESTAMP_HEADER]: '1709716893293',
      [ACCESS_KEY_HEADER]: AK,
      [SIGNATURE_HEADER]: 'VCjG2Fpp6HV2QfmbbZNIFAYR+XYRJgvpY0U6jWkLHSk=',
    });
  });

  it('stamps milliseconds as a whole decimal string', () => {
    const url = new URL('https://h.example/x');
    const h = signedHeaders({ method: 'GET', url, accessKey: AK, secretKey: SK, now: () => 1709716893293.7 });
    expect(h[TIMESTAMP_HEADER]).toBe('1709716893293');
    const real = signedHeaders({ method: 'GET', url, accessKey: AK, secretKey: SK });
    expect(real[TIMESTAMP_HEADER]).toMatch(/^\d{13}$/);
  });

  it('gives a fresh timestamp and signature per call (per attempt)', () => {
    const url = new URL('https://h.example/api/v1/cluster/getClusterInfoList/1');
    let t = 1709716893293;
    const now = () => t++;
    const a = signedHeaders({ method: 'POST', url, accessKey: AK, secretKey: SK, now });
    const b = signedHeaders({ method: 'POST', url, accessKey: AK, secretKey: SK, now });
    expect(a[TIMESTAMP_HEADER]).not.toBe(b[TIMESTAMP_HEADER]);
    expect(a[SIGNATURE_HEADER]).not.toBe(b[SIGNATURE_HEADER]);
    // Each header set verifies against its own timestamp (independent HMAC here).
    for (const h of [a, b]) {
      const msg = `POST /api/v1/cluster/getClusterInfoList/1\n${h[TIMESTAMP_HEADER]}\n${AK}`;
      expect(h[SIGNATURE_HEADER]).toBe(createHmac('sha256', SK).update(msg).digest('base64'));
    }
  });
});
