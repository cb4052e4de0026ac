//! Writes a realistic big snapshot (`tests/support/bigcluster.rs`) for the benchmarks:
//!
//! ```sh
//! cargo run --release --example big_snapshot -- 50000 /tmp/big.yaml   # or .json; PODS OUT [DEPLOYMENTS [CRASHLOOPING]]
//! ```
//!
//! By default 5 % of the pods crash-loop, 2 % are Pending and 1 % were OOM-killed, 20 pods
//! to a Deployment and 10 Deployments to a namespace.

#[allow(dead_code, clippy::unwrap_used)]
#[path = "../tests/support/bigcluster.rs"]
mod bigcluster;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(pods), Some(out)) = (args.first().and_then(|p| p.parse::<usize>().ok()), args.get(1)) else {
        eprintln!("usage: big_snapshot PODS OUT.(yaml|json) [DEPLOYMENTS [CRASHLOOPING]]");
        std::process::exit(2);
    };
    let deployments = args.get(2).and_then(|d| d.parse().ok()).unwrap_or((pods / 20).max(1));
    let crashlooping = args.get(3).and_then(|c| c.parse().ok()).unwrap_or(pods / 20);
    let c = bigcluster::BigCluster {
        pods,
        deployments,
        namespaces: (deployments / 10).max(1),
        crashlooping,
        pending: pods / 50,
        oom_killed: pods / 100,
        ..Default::default()
    };
    let list = c.list();
    let text = if out.ends_with(".json") {
        bigcluster::to_json(&list)
    } else {
        bigcluster::to_yaml(&list)
    };
    std::fs::write(out, &text).unwrap_or_else(|e| {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(2)
    });
    let objects = list["items"].as_array().map_or(0, Vec::len);
    println!(
        "{out}: {pods} pods in {deployments} deployments, {} nodes, {objects} objects, {} bytes",
        c.nodes(),
        text.len()
    );
}
