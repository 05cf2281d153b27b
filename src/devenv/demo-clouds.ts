// The cloud simulators the demo runs beside the local control plane, and the operator settings
// that point the operator at them. The simulators accept the credentials of the sample Secrets in
// deploy/examples/, read from those files so there is one source for them.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { startCdssSimulator } from '../simulators/cdss/index.ts';
import { startHadoopEcoSimulator } from '../simulators/hadoop-eco/index.ts';

export interface DemoClouds {
  /** Lines to show the user (where each simulator listens). */
  describe: string[];
  /** Environment for the operator process (endpoint overrides, poll cadence). */
  operatorEnv: Record<string, string>;
  stop(): Promise<void>;
}

async function sampleSecret(file: string, name: string): Promise<Record<string, string>> {
  const text = await readFile(new URL(`../../deploy/examples/${file}`, import.meta.url), 'utf8');
  const doc = parseAllDocuments(text)
    .map((d) => d.toJS() as { metadata?: { name?: string }; stringData?: Record<string, string> })
    .find((d) => d.metadata?.name === name);
  if (!doc?.stringData) throw new Error(`deploy/examples/${file} has no Secret ${name}`);
  return doc.stringData;
}

export async function startDemoClouds(): Promise<DemoClouds> {
  const kakao = await sampleSecret('hadoop-eco/00-secrets.yaml', 'kakaocloud-credentials');
  // Delays long enough to watch the phases go by, short enough for a demo.
  const hadoopEco = await startHadoopEcoSimulator({
    credentials: [{ credentialId: kakao['credentialId'] ?? '', credentialSecret: kakao['credentialSecret'] ?? '' }],
    provisionMs: 8000,
    scaleMs: 4000,
    terminateMs: 3000,
    jobMs: 6000,
  });
  const ncloud = await sampleSecret('kafka/00-secrets.yaml', 'ncloud-api-key');
  const cdss = await startCdssSimulator({
    credentials: [{ accessKey: ncloud['accessKey'] ?? '', secretKey: ncloud['secretKey'] ?? '' }],
    provisionMs: 8000,
    scaleMs: 5000,
    upgradeMs: 9000,
    deleteMs: 3000,
  });
  return {
    describe: [
      `KakaoCloud Hadoop Eco simulator: ${hadoopEco.url} (fault injection: ${hadoopEco.url}/_admin/faults)`,
      `NAVER Cloud CDSS simulator:      ${cdss.url} (fault injection: ${cdss.url}/_admin/faults)`,
    ],
    operatorEnv: {
      CDO_KAKAOCLOUD_ENDPOINTS: `kr-central-2=${hadoopEco.url}`,
      CDO_NCLOUD_ENDPOINTS: `KR=${cdss.baseUrl('KR')}`,
      CDO_POLL_BUSY: '2',
      CDO_POLL_STEADY: '30',
    },
    stop: async () => {
      await Promise.all([hadoopEco.close(), cdss.close()]);
    },
  };
}
