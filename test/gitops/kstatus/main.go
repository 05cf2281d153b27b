// kstatus-check reads Kubernetes objects as JSON on stdin (a JSON array, or a `kind: List` with
// `items`, as `kubectl get -o json` prints) and prints, for each object in order, what kstatus
// (sigs.k8s.io/cli-utils/pkg/kstatus/status, the library Flux's health checks come from) computes:
// [{"kind": ..., "name": ..., "status": "InProgress|Current|Failed|...", "message": ...}].
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type result struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Error   string `json:"error,omitempty"`
}

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kstatus-check:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer) error {
	raw, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	objects, err := decode(raw)
	if err != nil {
		return err
	}
	results := make([]result, 0, len(objects))
	for _, o := range objects {
		u := &unstructured.Unstructured{Object: o}
		r := result{Kind: u.GetKind(), Name: u.GetName()}
		res, err := status.Compute(u)
		if err != nil {
			r.Error = err.Error()
		}
		if res != nil {
			r.Status = res.Status.String()
			r.Message = res.Message
		}
		results = append(results, r)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(results)
}

// decode keeps whole numbers as int64 (k8s.io/apimachinery's JSON), as the apiserver's clients do:
// kstatus reads metadata.generation and status.observedGeneration with NestedInt64.
func decode(raw []byte) ([]map[string]interface{}, error) {
	var list []map[string]interface{}
	if err := utiljson.Unmarshal(raw, &list); err == nil {
		return list, nil
	}
	var one map[string]interface{}
	if err := utiljson.Unmarshal(raw, &one); err != nil {
		return nil, fmt.Errorf("stdin is neither a JSON array nor a JSON object: %w", err)
	}
	items, ok := one["items"].([]interface{})
	if !ok {
		return []map[string]interface{}{one}, nil
	}
	for i, it := range items {
		m, ok := it.(map[string]interface{})
		if !ok {
			return nil, fmt.Errorf("items[%d] is not an object", i)
		}
		list = append(list, m)
	}
	return list, nil
}
