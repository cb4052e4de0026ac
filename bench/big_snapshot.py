#!/usr/bin/env python3
"""Writes the incident's objects copied into N namespaces (default 300: about 5,000 pods) as
one JSON List, for the benchmarks. Usage: bench/big_snapshot.py INCIDENT.yaml OUT.json [N]"""
import copy
import json
import sys

try:
    import yaml
except ImportError:
    sys.exit("needs python3-yaml (apt-get install python3-yaml) or PyYAML")

doc = yaml.safe_load(open(sys.argv[1]))
n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
items = []
for i in range(n):
    ns = f"aiwfe-{i:03d}"
    for it in doc["items"]:
        if it["kind"] in ("Node", "NodeMetrics"):
            if i == 0:
                items.append(it)
            continue
        c = copy.deepcopy(it)
        c["metadata"]["namespace"] = ns
        if c["kind"] == "Event":
            c["involvedObject"]["namespace"] = ns
        items.append(c)
json.dump({"apiVersion": "v1", "kind": "List", "items": items}, open(sys.argv[2], "w"))
pods = sum(1 for x in items if x["kind"] == "Pod")
print(f"snapshot: {pods} pods, {len(items)} objects, {len(json.dumps(items)) // 1024} KiB")
