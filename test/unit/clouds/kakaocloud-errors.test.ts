import { describe, expect, it } from 'vitest';
import type { CloudResponse } from '../../../src/clouds/http.ts';
import { ClusterNameTakenError, cloudErrorMessage, hadoopEcoError } from '../../../src/clouds/kakaocloud/errors.ts';
import { HADOOP_ECO_DEFAULT_BASE_URLS, hadoopEcoBaseUrl } from '../../../src/clouds/kakaocloud/regions.ts';
import { InvalidSpecError, TerminalError, TransientError } from '../../../src/runtime/errors.ts';

function res(status: number, text: string, retryAfterMs?: number): CloudResponse {
  return { status, headers: {}, text, attempts: 1, retryAfterMs, json: () => JSON.parse(text) as unknown };
}

describe('cloudErrorMessage (spec §1.4 order)', () => {
  it('prefers error.message, then message, then error, then detail, else raw text', () => {
    expect(cloudErrorMessage('{"error":{"code":"InvalidParam","message":"bad subnet"},"message":"x"}')).toEqual({
      message: 'bad subnet',
      code: 'InvalidParam',
    });
    expect(cloudErrorMessage('{"status":400,"error":"Bad Request","message":"workerCnt too small"}').message).toBe('workerCnt too small');
    expect(cloudErrorMessage('{"status":404,"error":"Not Found","message":""}').message).toBe('Not Found');
    expect(cloudErrorMessage('{"detail":"nope"}').message).toBe('nope');
    expect(cloudErrorMessage('<html>\n  gateway </html>').message).toBe('<html> gateway </html>');
    expect(cloudErrorMessage('').message).toBe('(empty body)');
    expect(cloudErrorMessage('x'.repeat(1000)).message.length).toBeLessThanOrEqual(301);
  });
});

describe('hadoopEcoError', () => {
  it('maps statuses to the runtime classes', () => {
    const e400 = hadoopEcoError(res(400, '{"message":"m"}'), { operation: 'createCluster' });
    expect(e400).toBeInstanceOf(InvalidSpecError);
    expect(e400.reason).toBe('CloudRejectedSpec');
    expect(hadoopEcoError(res(401, ''), { operation: 'getCluster' })).toMatchObject({
      reason: 'CredentialsInvalid',
      errorClass: 'terminal',
    });
    expect(hadoopEcoError(res(403, ''), { operation: 'getCluster' })).toMatchObject({ reason: 'PermissionDenied', errorClass: 'terminal' });
    const apiNotFound = JSON.stringify({ status: 404, error: 'Not Found', message: 'cluster not found: c-1' });
    expect(hadoopEcoError(res(404, apiNotFound), { operation: 'scaleOut' })).toMatchObject({
      reason: 'ClusterNotFound',
      errorClass: 'terminal',
    });
    // A 404 in no shape of the API's (an empty body, a proxy's page), or on the list route, says nothing about the cluster.
    expect(
      hadoopEcoError(res(404, ''), { operation: 'scaleOut', url: 'https://h.example/v2/hadoop-eco/clusters/c-1/scale-out?x=1' }),
    ).toMatchObject({
      reason: 'EndpointNotFound',
      errorClass: 'terminal',
      url: 'https://h.example/v2/hadoop-eco/clusters/c-1/scale-out',
    });
    expect(hadoopEcoError(res(404, '<html>404</html>'), { operation: 'deleteCluster' })).toMatchObject({ reason: 'EndpointNotFound' });
    expect(hadoopEcoError(res(404, apiNotFound), { operation: 'listClusters' })).toMatchObject({ reason: 'EndpointNotFound' });
    const taken = hadoopEcoError(res(409, ''), { operation: 'createCluster', clusterName: 'c1' });
    expect(taken).toBeInstanceOf(ClusterNameTakenError);
    expect(taken).toMatchObject({ reason: 'ClusterNameTaken', clusterName: 'c1', errorClass: 'invalid' });
    expect(hadoopEcoError(res(409, ''), { operation: 'scaleIn' })).toMatchObject({ reason: 'ClusterBusy', errorClass: 'transient' });
    const throttled = hadoopEcoError(res(429, '', 1500), { operation: 'listClusters' });
    expect(throttled).toBeInstanceOf(TransientError);
    expect((throttled as TransientError).retryAfterMs).toBe(1500);
    expect(hadoopEcoError(res(500, ''), { operation: 'getCluster' })).toMatchObject({
      reason: 'CloudUnavailable',
      errorClass: 'transient',
    });
    expect(hadoopEcoError(res(405, ''), { operation: 'scaleIn' })).toBeInstanceOf(TerminalError);
  });

  it('never quotes a secret, even one cut by truncation', () => {
    const secret = ['fake', 'secret', 'x'.repeat(20)].join('-');
    const text = `${'y'.repeat(290)}${secret}`;
    const err = hadoopEcoError(res(401, text), { operation: 'getCluster', secrets: [secret] });
    expect(err.message).not.toContain(secret.slice(0, 10));
    const echoed = hadoopEcoError(res(400, JSON.stringify({ message: `bad Credential-Secret: ${secret}` })), {
      operation: 'getCluster',
      secrets: [secret],
    });
    expect(echoed.message).not.toContain(secret);
  });
});

describe('regions', () => {
  it('has the documented defaults and takes overrides', () => {
    expect(hadoopEcoBaseUrl('kr-central-2')).toBe('https://hadoop-eco.kr-central-2.kakaocloud.com');
    expect(hadoopEcoBaseUrl('kr-central-1')).toBe('https://hadoop-eco.kr-central-1.kakaoi.io');
    expect(hadoopEcoBaseUrl('kr-central-2', { 'kr-central-2': 'http://127.0.0.1:8080/' })).toBe('http://127.0.0.1:8080');
    expect(hadoopEcoBaseUrl('sim', { sim: 'http://sim' })).toBe('http://sim');
    expect(() => hadoopEcoBaseUrl('mars-1')).toThrow(InvalidSpecError);
    expect(Object.keys(HADOOP_ECO_DEFAULT_BASE_URLS).sort()).toEqual(['kr-central-1', 'kr-central-2']);
  });
});
