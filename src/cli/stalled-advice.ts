// What to do for each Stalled reason, as `kubectl cdo status` prints it: the "what to do" column of
// docs/operations.md#stalled-reasons (and docs/kafka-config-group.md for the config group's own),
// in one table. test/unit/cli/status.test.ts checks that every reason the code can stall with is
// here and that the docs list the same reasons.

export const stalledAdvice: Readonly<Record<string, string>> = {
  SecretNotFound: 'create the Secret the message names, in the resource’s namespace (docs/credentials.md)',
  SecretKeyMissing: 'add the key named in the message to the Secret (a non-empty value)',
  CredentialsMissing: 'set spec.credentialsSecretRef, or configure the operator-wide default credentials',
  CredentialsInvalid: 'fix the key in the credentials Secret; for NAVER Cloud also check this host’s clock',
  PermissionDenied: 'grant the IAM / sub-account permission for the service to the key in the credentials Secret',
  ClockSkew: 'fix the clock of the host the operator runs on (NTP): NAVER Cloud refuses signatures 5+ minutes off',
  InvalidManagerPassword: 'change the password in the Secret so it follows every rule the message lists',
  CloudRejectedSpec: 'change the spec as the cloud’s message says; an immutable field needs a new resource',
  ClusterNameTaken:
    'delete this resource (nothing was created) and re-create it with another spec.clusterName, or adopt that cluster: kubectl cdo import',
  AmbiguousCluster:
    'find the cluster created at the cdo.dev/create-requested time; delete the extra ones in the cloud, or re-create the resource with spec.clusterId',
  ClusterIdRequired: 'ObserveOnly never creates: re-create the resource with spec.clusterId (kubectl cdo import), or use Manage',
  ClusterNotFound: 'correct the id: re-create the resource (clusterId is immutable); kubectl cdo import finds clusters by name',
  ClusterGone: 'the cluster vanished from the cloud: delete and re-apply the resource to create a new one',
  ClusterTerminatedOutside: 'someone terminated it outside the operator: delete and re-apply to create a new one',
  ClusterFailed: 'look at the cloud console, then delete and re-apply the resource',
  ClusterError: 'check the NAVER Cloud console; deleting the resource deletes the cluster (deletionPolicy permitting)',
  ClusterDeletedOutside: 'someone deleted it outside the operator: delete and re-apply to create a new one',
  BelowReplication: 'raise workerCount to at least hdfs.replication',
  BrokerRemovalUnsupported: 'set brokerCount to the real count: CDSS cannot remove brokers',
  UpgradeRejected: 'pick a later kafkaVersionCode (going down needs a new cluster)',
  UpgradePreCheckFailed: 'act on CDSS’s message quoted in the condition, then bump cdo.dev/reconcile-requested-at',
  ConfigGroupVersionMismatch:
    'create a config group for the Kafka version the cluster will run and set configGroupNo (or configGroupRef) to it',
  NodeSpecChangeNotAllowed: 'pick a node product CDSS offers (the message lists them), or set the current one back',
  LoadBalancerRequired: 'set publicAccess.brokers.loadBalancerInstanceNo to one of the candidates listed (or create one in the VPC)',
  InvalidSpec: 'edit the resource: the message names the field the operator’s schema refuses',
  UnknownRegion: 'fix spec.region (re-create the resource) or the operator’s CDO_*_ENDPOINTS / CDO_NCLOUD_SITE',
  UnknownSite: 'fix the operator’s CDO_NCLOUD_SITE (public, gov or fin)',
  EndpointNotFound:
    'fix the endpoint configuration (CDO_*_ENDPOINTS prefix, CDO_NCLOUD_SITE, region), then bump cdo.dev/reconcile-requested-at',
  CloudRequestFailed: 'the cloud answered with an unexpected error: report a bug with the message; it is retried slowly',
  InvalidClusterRequest: 'fix the field named in the message; report a bug if the spec was valid',
  InvalidClusterId: 'fix spec.clusterId (re-create the resource); report a bug if it was valid',
  InvalidScaleCount: 'fix workerCount; report a bug if the spec was valid',
  InvalidBrokerCount: 'fix brokerCount; report a bug if the spec was valid',
  InvalidUpgradeRequest: 'fix kafkaVersionCode or configGroupNo; report a bug if the spec was valid',
  InvalidNodeSpec: 'fix manager.nodeProductCode or broker.nodeProductCode; report a bug if the spec was valid',
  InvalidLoadBalancer: 'fix publicAccess.brokers.loadBalancerInstanceNo; report a bug if the spec was valid',
  InvalidConfigGroupRequest: 'fix the config group field named in the message; report a bug if the spec was valid',
  InvalidRequest: 'fix the field named in the message; report a bug if the spec was valid',
  ConfigMapConflict: 'choose another spec.connectionInfo.configMapName, or delete the ConfigMap this resource does not own',
  InvalidConfigValue: 'fix the value in spec.config the message names (a boolean or an integer, as CDSS types it)',
  VersionMismatch: 'the adopted config group belongs to another Kafka version: set kafkaVersionCode to its version, or adopt another group',
  SettingNotModifiable: 'remove the keys the message names from spec.config: CDSS does not let a config group change them',
  SettingNotApplied: 'CDSS took the call but not the value: check the value in the NAVER Cloud console, or set the reported one',
  DeletionBlocked: 'clusters still use the config group (the message names them): point them at another group or delete them',
};

/** The advice for a Stalled reason, or a pointer to the docs for one this table does not know. */
export function adviceFor(reason: string): string {
  return stalledAdvice[reason] ?? 'see docs/operations.md#stalled-reasons and the condition’s message';
}
