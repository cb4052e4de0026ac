//! The stateful test API server from `tests/support/kubeapi.rs` as a standalone process, for
//! benchmarks and for trying `aiwfe doctor` live without a cluster:
//!
//! ```sh
//! cargo run --example kubeapi -- examples/incident.yaml     # prints a kubeconfig path
//! aiwfe doctor --kubeconfig /tmp/.../kubeconfig -n aiwfe
//! ```

#[allow(dead_code, clippy::unwrap_used)]
#[path = "../tests/support/kubeapi.rs"]
mod kubeapi;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: kubeapi SNAPSHOT.(yaml|json)");
        std::process::exit(2);
    };
    let api = kubeapi::KubeApi::start();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(2)
    });
    let value: serde_json::Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(&text).expect("valid JSON")
    } else {
        serde_saphyr::from_str(&text).expect("valid YAML")
    };
    api.load(value);
    println!("{}", api.kubeconfig.display());
    // Serve until stdin closes or the process is killed.
    let mut sink = String::new();
    while std::io::stdin().read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {}
    std::thread::park();
}
