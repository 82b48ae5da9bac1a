package update

import (
	"bytes"
	"encoding/json"
)

// LockFile is the flake's lock, which gonix-init writes with its pin of
// nixpkgs and the user moves with nix flake update.
const LockFile = "flake.lock"

// KeptNewer is the outcome of a flake.lock whose nixpkgs the user locked at
// a revision no older than the templates' pin: update never moves a pin
// backwards.
const KeptNewer Outcome = "kept yours: its nixpkgs is no older"

// mergeLock merges the templates' new flake.lock into yours, both of which
// changed it since base, as Nix's lock files rather than lines: yours stays
// as it is when its nixpkgs is at least as new as new's (by lastModified);
// otherwise new's nixpkgs replaces yours, and every other input you added
// stays. ok is false for a lock it cannot read as one, which is then merged
// line by line. For KeptNewer there is nothing to write.
func mergeLock(yours, new []byte) (data []byte, outcome Outcome, ok bool) {
	var y, n map[string]any
	if decode(yours, &y) != nil || decode(new, &n) != nil {
		return nil, "", false
	}
	yNode, yOK := nixpkgsNode(y)
	nNode, nOK := nixpkgsNode(n)
	if !yOK || !nOK {
		return nil, "", false
	}
	yTime, yOK := lastModified(yNode)
	nTime, nOK := lastModified(nNode)
	if !yOK || !nOK {
		return nil, "", false
	}
	if yTime >= nTime {
		return nil, KeptNewer, true
	}
	yNode["locked"], yNode["original"] = nNode["locked"], nNode["original"]
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(y); err != nil {
		return nil, "", false
	}
	return buf.Bytes(), Merged, true
}

// decode reads a lock file, keeping its numbers as they are written.
func decode(data []byte, v *map[string]any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}

// nixpkgsNode is the node the root's nixpkgs input locks.
func nixpkgsNode(lock map[string]any) (map[string]any, bool) {
	nodes, _ := lock["nodes"].(map[string]any)
	rootName, _ := lock["root"].(string)
	root, _ := nodes[rootName].(map[string]any)
	inputs, _ := root["inputs"].(map[string]any)
	name, _ := inputs["nixpkgs"].(string)
	node, ok := nodes[name].(map[string]any)
	return node, ok
}

// lastModified is a node's locked lastModified.
func lastModified(node map[string]any) (int64, bool) {
	locked, _ := node["locked"].(map[string]any)
	n, ok := locked["lastModified"].(json.Number)
	if !ok {
		return 0, false
	}
	v, err := n.Int64()
	return v, err == nil
}
