// Config group routes G1-G10 (spec §5.18). Paths, methods and bodies as §5.1 / §5.18 give them:
// all POST except G9 (DELETE). G3-G7 need the group's own Kafka version in the body as well as
// the number in the path (§6 #9); another version is a business error.
import type { Catalog } from './catalog.ts';
import { groupParam, type On } from './route-kit.ts';
import type { ClusterStore } from './state.ts';
import {
  validateApplyConfigGroup,
  validateCreateConfigGroup,
  validatePaging,
  validateSetDescription,
  validateSetValues,
  validateVersionGroupList,
  validateVersionOnly,
} from './validation.ts';
import { page, toConfigGroupItem } from './views.ts';

export function registerConfigGroupRoutes(on: On, catalog: Catalog, store: ClusterStore): void {
  const groupFor = (no: number, kafkaVersionCode: string) => catalog.requireGroupFor('configGroupNo', no, kafkaVersionCode);

  // G1: one version's groups.
  on('configGroup', 'getKafkaVersionConfigGroupList', 'POST', false, (call) => {
    const b = validateVersionGroupList(call.body());
    catalog.version(b.kafkaVersionCode);
    const { paging, items } = page(catalog.groupsOf(b.kafkaVersionCode), b.pageNo ?? 1, b.pageSize ?? 10);
    return { ...paging, kafkaConfigGroupList: items.map((g) => toConfigGroupItem(g, catalog)) };
  });
  // G10 [SDK only]: every version's groups, G1's shape.
  on('configGroup', 'getKafkaConfigGroupList', 'POST', false, (call) => {
    const b = validatePaging(call.body());
    const { paging, items } = page(catalog.allGroups(), b.pageNo ?? 1, b.pageSize ?? 10);
    return { ...paging, kafkaConfigGroupList: items.map((g) => toConfigGroupItem(g, catalog)) };
  });
  // G2: a new group has no custom values; G4 shows the version's defaults.
  on('configGroup', 'createConfigGroup', 'POST', false, (call) => {
    const b = validateCreateConfigGroup(call.body());
    return { configGroupNo: catalog.createGroup(b.configGroupName, b.kafkaVersionCode, b.description ?? '').configGroupNo };
  });
  // G3.
  on('configGroup', 'getKafkaConfigGroup', 'POST', true, (call) => {
    const g = groupFor(groupParam(call), validateVersionOnly(call.body()).kafkaVersionCode);
    return {
      configGroupNo: g.configGroupNo,
      configGroupName: g.configGroupName,
      description: g.description,
      kafkaVersionCode: g.kafkaVersionCode,
      memberNo: catalog.memberNo,
    };
  });
  // G4.
  on('configGroup', 'getKafkaConfigGroupDetailList', 'POST', true, (call) =>
    catalog.values(groupFor(groupParam(call), validateVersionOnly(call.body()).kafkaVersionCode)),
  );
  // G5: replaces the whole custom configuration (§5.18 [3P]; config-values.ts).
  on('configGroup', 'setKafkaConfigGroupDetail', 'POST', true, (call) => {
    const no = groupParam(call);
    const b = validateSetValues(call.body());
    const g = groupFor(no, b.kafkaVersionCode);
    catalog.setValues(g, b.body);
    return { configGroupNo: g.configGroupNo };
  });
  // G6.
  on('configGroup', 'setKafkaConfigGroupMemo', 'POST', true, (call) => {
    const no = groupParam(call);
    const b = validateSetDescription(call.body());
    groupFor(no, b.kafkaVersionCode).description = b.description ?? '';
    return true;
  });
  // G7: the cluster restarts with the group (state.ts).
  on('configGroup', 'setClusterKafkaConfigGroup', 'POST', true, (call) => {
    const no = groupParam(call);
    const b = validateApplyConfigGroup(call.body());
    store.applyConfigGroup(call.region, b.serviceGroupInstanceNo, no, b.kafkaVersionCode);
    return true;
  });
  // G8: clusters using the group (any region: groups are shared, catalog.ts); the id is an Integer [SDK].
  on('configGroup', 'getConfigGroupUsingClusterList', 'POST', true, (call) => {
    const no = groupParam(call);
    const b = validatePaging(call.body());
    catalog.requireGroup(no);
    const { paging, items } = page(store.usersOf(no), b.pageNo ?? 1, b.pageSize ?? 10);
    return {
      ...paging,
      usingClusterNameList: items.map((c) => ({ clusterName: c.input.clusterName, serviceGroupInstanceNo: Number(c.id) })),
    };
  });
  // G9: refused while a cluster uses the group (§5.18 [INF] "probably rejected").
  on('configGroup', 'deleteConfigGroup', 'DELETE', true, (call) => {
    const no = groupParam(call);
    catalog.deleteGroup(
      no,
      store.usersOf(no).map((c) => ({ clusterName: c.input.clusterName, id: c.id })),
    );
    return { isDelete: true };
  });
}
