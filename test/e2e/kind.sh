#!/usr/bin/env bash
# End-to-end on a workstation with Docker (no Docker engine runs on our CI machines, so this is not
# part of `npm test`): a kind cluster, the image built and loaded, the Helm chart installed, the two
# cloud simulators running in-cluster from the same image, and both lifecycles walked with kubectl.
# Every step here is also exercised by `npm test` without Docker (test/integration/image.test.ts,
# test/integration/deploy/, the lifecycle tests); this script shows them together on a real cluster.
#
# Usage: test/e2e/kind.sh            (needs docker, kind, kubectl and helm on PATH)
#        KEEP=1 test/e2e/kind.sh     (leave the cluster running afterwards)
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in docker kind kubectl helm; do command -v "$tool" >/dev/null || { echo "needs $tool on PATH" >&2; exit 2; }; done

CLUSTER=${CLUSTER:-cdo-e2e}
IMAGE=cloud-data-operator:e2e
step() { printf '\n== %s\n' "$*"; }
cleanup() { [ -n "${KEEP:-}" ] || kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true; }
trap cleanup EXIT

step "kind cluster $CLUSTER"
kind create cluster --name "$CLUSTER" --wait 120s

step "image $IMAGE"
docker build -t "$IMAGE" .
kind load docker-image "$IMAGE" --name "$CLUSTER"

step "cloud simulators in-cluster (same image, simulator entry points)"
kubectl create namespace cdo-sims
# The simulators accept the sample Secrets' placeholder credentials (deploy/examples/*/00-secrets.yaml).
kubectl -n cdo-sims create secret generic sim-credentials \
  --from-literal=HADOOP_ECO_SIM_CREDENTIAL_ID=demo-access-key-id --from-literal=HADOOP_ECO_SIM_CREDENTIAL_SECRET=demo-secret-access-key \
  --from-literal=CDSS_SIM_ACCESS_KEY=demo-ncloud-access-key --from-literal=CDSS_SIM_SECRET_KEY=demo-ncloud-secret-key
for sim in hadoop-eco cdss; do
  kubectl -n cdo-sims create deployment "$sim-sim" --image="$IMAGE" --port=8080 -- /nodejs/bin/node "dist/simulators/$sim/cli.js" --host 0.0.0.0 --port 8080
  kubectl -n cdo-sims set env "deployment/$sim-sim" --from=secret/sim-credentials
  kubectl -n cdo-sims expose deployment "$sim-sim" --port=8080
done
kubectl -n cdo-sims rollout status deployment/hadoop-eco-sim deployment/cdss-sim --timeout=120s

step "operator via the Helm chart"
helm install cdo deploy/helm/cloud-data-operator --namespace cloud-data-operator-system --create-namespace \
  --set image.repository=cloud-data-operator --set image.tag=e2e \
  --set-string "endpoints.kakaocloud.kr-central-2=http://hadoop-eco-sim.cdo-sims:8080" \
  --set-string "endpoints.ncloud.KR=http://cdss-sim.cdo-sims:8080/api/v1" \
  --wait --timeout 180s
# The chart's test hook (templates/tests/readyz.yaml): a Pod that gets 200 from the operator's /readyz.
helm test cdo --namespace cloud-data-operator-system --logs --timeout 120s

step "samples: three Hadoop Eco clusters and a Kafka cluster"
kubectl apply -f deploy/examples/hadoop-eco/ -f deploy/examples/kafka/
kubectl wait hec/hive-job-cluster hec/test-cluster kafkaconfiggroup/events-cfg-371 nkafka/events-kafka --for=condition=Ready --timeout=300s
kubectl get cdo -A

step "scale out and in, add brokers, upgrade Kafka"
kubectl scale hec/test-cluster --replicas=4
kubectl wait hec/test-cluster --for=jsonpath='{.status.workerCount}'=4 --timeout=180s
kubectl scale hec/test-cluster --replicas=3
kubectl wait hec/test-cluster --for=jsonpath='{.status.workerCount}'=3 --timeout=180s
kubectl scale nkafka/events-kafka --replicas=4
kubectl wait nkafka/events-kafka --for=jsonpath='{.status.brokerCount}'=4 --timeout=180s
# The upgrade's target group: a KafkaConfigGroup for 3.9.0, then the cluster points at it.
kubectl apply -f - <<'YAML'
apiVersion: ncloud.cdo.dev/v1alpha1
kind: KafkaConfigGroup
metadata: { name: events-cfg-390, namespace: default }
spec:
  credentialsSecretRef: { name: ncloud-api-key }
  kafkaVersionCode: 3903006
  config: { log.retention.hours: 72, num.partitions: 6 }
YAML
kubectl wait kafkaconfiggroup/events-cfg-390 --for=condition=Ready --timeout=120s
kubectl patch nkafka/events-kafka --type=merge -p '{"spec":{"kafkaVersionCode":3903006,"configGroupRef":{"name":"events-cfg-390"}}}'
kubectl wait nkafka/events-kafka --for=jsonpath='{.status.kafkaVersion.code}'=3903006 --timeout=300s
kubectl get cdo -A

step "delete everything; finalizers go once the clouds report the clusters gone"
kubectl delete -f deploy/examples/hadoop-eco/ -f deploy/examples/kafka/ --wait --timeout=300s
kubectl delete kafkaconfiggroup/events-cfg-390 --wait --timeout=120s
echo "e2e passed"
