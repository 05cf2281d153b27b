// spec → CDSS request bodies as a specification (spec ncloud-cdss-api.md §5.2 G2 create, §5.3 G3
// create, §5.15 rolling upgrade) and the manager password rules (§5.2), whose errors never carry
// the password itself.
import { describe, expect, it } from 'vitest';
import { CreateClusterRequestSchema, CreateKvmClusterRequestSchema, UpgradeRequestSchema } from '../../../../src/clouds/ncloud/types.ts';
import {
  buildCreateRequest,
  buildKvmCreateRequest,
  buildUpgradeRequest,
  checkManagerPassword,
  managerPasswordRules,
  passwordFingerprint,
} from '../../../../src/resources/kafka/request.ts';
import { kafkaSpecSchema, type KafkaSpec } from '../../../../src/resources/kafka/schema.ts';
import { InvalidSpecError } from '../../../../src/runtime/errors.ts';

const PASSWORD = 'Kafka-Mgr2024!';

function g2Spec(over: Record<string, unknown> = {}): KafkaSpec {
  return kafkaSpecSchema.parse({
    kafkaVersionCode: 3903006,
    configGroupNo: 170,
    softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
    vpcNo: 1001,
    manager: {
      userName: 'admin',
      passwordSecretRef: { name: 'kafka-manager', key: 'password' },
      nodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002',
      subnetNo: 2001,
    },
    broker: { nodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002', subnetNo: 2002, storageSizeGB: 300 },
    brokerCount: 4,
    ...over,
  });
}

function g3Spec(over: Record<string, unknown> = {}): KafkaSpec {
  return g2Spec({
    serverGeneration: 'G3',
    softwareProductCode: 'SW.VCDSS.OS.LNX64.ROCKY.08.G003',
    vpcName: 'vpc-events',
    serverSpecCode: 'cdss.s2-g3',
    manager: {
      userName: 'admin',
      passwordSecretRef: { name: 'kafka-manager', key: 'password' },
      nodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G003',
      subnetNo: 2001,
      subnetName: 'subnet-manager',
    },
    broker: {
      nodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G003',
      subnetNo: 2002,
      subnetName: 'subnet-brokers',
      storageSizeGB: 300,
    },
    ...over,
  });
}

describe('buildCreateRequest (G2, §5.2)', () => {
  const documented = [
    'clusterName',
    'kafkaVersionCode',
    'configGroupNo',
    'kafkaManagerUserName',
    'kafkaManagerUserPassword',
    'softwareProductCode',
    'vpcNo',
    'managerNodeSubnetNo',
    'managerNodeProductCode',
    'brokerNodeSubnetNo',
    'brokerNodeCount',
    'brokerNodeProductCode',
    'brokerNodeStorageSize',
  ];

  it('has exactly the documented field names, configGroupNo included', () => {
    expect(Object.keys(buildCreateRequest(g2Spec(), 'events', PASSWORD, 170)).sort()).toEqual([...documented].sort());
  });

  it('maps the spec to the documented fields, numbers as JSON numbers', () => {
    expect(buildCreateRequest(g2Spec(), 'events', PASSWORD, 170)).toEqual({
      clusterName: 'events',
      kafkaVersionCode: 3903006,
      configGroupNo: 170,
      kafkaManagerUserName: 'admin',
      kafkaManagerUserPassword: PASSWORD,
      softwareProductCode: 'SW.VCDSS.OS.LNX64.CNTOS.0708.B050',
      vpcNo: 1001,
      managerNodeSubnetNo: 2001,
      managerNodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G002',
      brokerNodeSubnetNo: 2002,
      brokerNodeCount: 4,
      brokerNodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G002',
      brokerNodeStorageSize: 300,
    });
  });

  it('passes the strict wire schema (no unknown or missing field)', () => {
    expect(CreateClusterRequestSchema.safeParse(buildCreateRequest(g2Spec(), 'events', PASSWORD, 170)).success).toBe(true);
  });

  it('uses the cluster name it is given, not the spec field', () => {
    expect(buildCreateRequest(g2Spec({ clusterName: 'other' }), 'from-metadata', PASSWORD, 170).clusterName).toBe('from-metadata');
  });
});

describe('buildKvmCreateRequest (G3 / KVM, §5.3)', () => {
  it('uses dataNode* names, names as well as numbers, hypervisorCode KVM and generationCode G3', () => {
    expect(buildKvmCreateRequest(g3Spec(), 'events', PASSWORD, 170)).toEqual({
      clusterName: 'events',
      kafkaVersionCode: 3903006,
      configGroupNo: 170,
      kafkaManagerUserName: 'admin',
      kafkaManagerUserPassword: PASSWORD,
      hypervisorCode: 'KVM',
      generationCode: 'G3',
      softwareProductCode: 'SW.VCDSS.OS.LNX64.ROCKY.08.G003',
      vpcName: 'vpc-events',
      vpcNo: 1001,
      managerNodeSubnetName: 'subnet-manager',
      managerNodeSubnetNo: 2001,
      managerNodeProductCode: 'SVR.VCDSS.STAND.C002.M008.NET.SSD.B050.G003',
      dataNodeSubnetName: 'subnet-brokers',
      dataNodeSubnetNo: 2002,
      dataNodeCount: 4,
      dataNodeProductCode: 'SVR.VCDSS.STAND.C004.M016.NET.SSD.B050.G003',
      dataNodeStorageSize: 300,
      serverSpecCode: 'cdss.s2-g3',
    });
  });

  it('has no brokerNode* field', () => {
    expect(Object.keys(buildKvmCreateRequest(g3Spec(), 'events', PASSWORD, 170)).filter((k) => k.startsWith('brokerNode'))).toEqual([]);
  });

  it('passes the strict wire schema', () => {
    expect(CreateKvmClusterRequestSchema.safeParse(buildKvmCreateRequest(g3Spec(), 'events', PASSWORD, 170)).success).toBe(true);
  });

  it('leaves serverSpecCode out when the spec has none', () => {
    expect(buildKvmCreateRequest(g3Spec({ serverSpecCode: undefined }), 'events', PASSWORD, 170)).not.toHaveProperty('serverSpecCode');
  });

  it.each([
    ['vpcName', { vpcName: undefined }],
    ['managerNodeSubnetName', { manager: { ...g3Spec().manager, subnetName: undefined } }],
    ['dataNodeSubnetName', { broker: { ...g3Spec().broker, subnetName: undefined } }],
  ])('invents no %s when the spec lacks it (admission requires it): the wire schema refuses the body', (field, over) => {
    const body = buildKvmCreateRequest(g3Spec(over), 'events', PASSWORD, 170);
    const parsed = CreateKvmClusterRequestSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([field]);
  });
});

describe('buildUpgradeRequest (§5.15)', () => {
  it("serialises to exactly the seed's body: id in the body as a number, in the seed's key order", () => {
    expect(JSON.stringify(buildUpgradeRequest('3432149', 2823006, 170))).toBe(
      '{"serviceGroupInstanceNo":3432149,"upgradeKafkaVersionCode":2823006,"upgradeConfigGroupNo":170}',
    );
  });

  it('passes the strict wire schema', () => {
    expect(UpgradeRequestSchema.safeParse(buildUpgradeRequest('3432149', 2823006, 170)).success).toBe(true);
  });
});

describe('checkManagerPassword: every documented rule at once (§5.2: docs, Terraform, older docs)', () => {
  it.each([
    ['a typical password', PASSWORD],
    ['exactly 8 characters', 'Ab1!cdef'],
    ['exactly 20 characters', `Ab1!${'x'.repeat(16)}`],
    ['the first half of Terraform’s specials', 'Ka9~!@#$%^*()-_=[]{}'],
    ['the rest of Terraform’s specials', 'Ka9;:,.<>?'],
    ['one Terraform special among others the docs do not forbid', 'Kafka1+|!x'],
  ])('accepts %s', (_label, password) => {
    expect(() => checkManagerPassword(password)).not.toThrow();
  });

  const rejected: Array<[string, string, string]> = [
    ['too short (7): the docs', 'Ab1!cde', '8-20 characters'],
    ['too long (21): the docs', `Ab1!${'x'.repeat(17)}`, '8-20 characters'],
    ['no digit: every source', 'Kafka-Manager!', 'at least one digit'],
    ['no special: every source', 'KafkaManager2024', 'at least one of ~!@#$%^*()-_=[]{};:,.<>?'],
    ['only a special outside Terraform’s list: Terraform', 'KafkaManager2024+', 'at least one of ~!@#$%^*()-_=[]{};:,.<>?'],
    ['no upper-case letter: the older docs', 'kafka-mgr2024!', 'at least one upper-case letter'],
    ['no lower-case letter: the older docs', 'KAFKA-MGR2024!', 'at least one lower-case letter'],
    ['no letter: every source', '20240101!!', 'at least one upper-case letter'],
    ["a single quote '", "Kafka1!'ok", 'none of'],
    ['a double quote "', 'Kafka1!"ok', 'none of'],
    ['a backtick `', 'Kafka1!`ok', 'none of'],
    ['a won sign ₩', 'Kafka1!₩ok', 'none of'],
    ['a slash /', 'Kafka1!/ok', 'none of'],
    ['an ampersand &', 'Kafka1!&ok', 'none of'],
    ['a space', 'Kafka1! ok', 'none of'],
    ['a tab', 'Kafka1!\tok', 'none of'],
  ];
  it.each(rejected)(
    'rejects a password with %s, naming the rule broken and all the rules, never the password',
    (_label, password, rule) => {
      let caught: unknown;
      try {
        checkManagerPassword(password);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(InvalidSpecError);
      const err = caught as InvalidSpecError;
      expect(err.reason).toBe('InvalidManagerPassword');
      const [broken, all] = err.message.split('. CDSS');
      expect(broken).toContain(rule);
      for (const r of managerPasswordRules) expect(all).toContain(r.rule);
      expect(err.message).not.toContain(password);
      expect(String(err.stack)).not.toContain(password);
    },
  );

  it('names each broken rule, and only those, before the list of all of them', () => {
    let message = '';
    try {
      checkManagerPassword('ab1 ');
    } catch (err) {
      message = (err as Error).message;
    }
    const broken = message
      .split('. CDSS')[0]!
      .replace('the manager password in the referenced Secret breaks these rules: ', '')
      .split('; ');
    expect(broken).toEqual([
      '8-20 characters',
      'at least one upper-case letter',
      'at least one of ~!@#$%^*()-_=[]{};:,.<>?',
      expect.stringMatching(/^none of/),
    ]);
  });
});

describe('passwordFingerprint', () => {
  const KEY = ['operator', 'only', 'key'].join('-');
  it('depends on the key, so it cannot be checked without the API secret key', () => {
    expect(passwordFingerprint('another-key', UID, PASSWORD)).not.toBe(passwordFingerprint(KEY, UID, PASSWORD));
  });

  const UID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

  it('is stable for the same uid and password', () => {
    expect(passwordFingerprint(KEY, UID, PASSWORD)).toBe(passwordFingerprint(KEY, UID, PASSWORD));
    expect(passwordFingerprint(KEY, UID, PASSWORD)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('differs per uid (the same password in two resources) and per password', () => {
    const other = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
    expect(passwordFingerprint(KEY, other, PASSWORD)).not.toBe(passwordFingerprint(KEY, UID, PASSWORD));
    expect(passwordFingerprint(KEY, UID, 'Kafka-Mgr2025!')).not.toBe(passwordFingerprint(KEY, UID, PASSWORD));
  });

  it('does not contain the password, even one made of hex digits', () => {
    for (const password of [PASSWORD, 'deadbeef12', 'abcdef0123456789']) {
      expect(passwordFingerprint(KEY, UID, password)).not.toContain(password);
    }
  });
});
