//! The test Kubernetes API server (tests/support/kubeapi.rs) against the real `kubectl`
//! and the kube client's watcher: watch, the Deployment controller, writes, admission and
//! concurrent writers, as a real API server does them.

use crate::support::kubeapi::{KubeApi, NewPods, Rollout};
use crate::support::*;
use serde_json::{Value, json};

#[test]
#[ignore]
fn scratch_server() {
    let api = KubeApi::start();
    api.load_yaml_file(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml"));
    std::fs::write("/tmp/kubeapi-scratch.kubeconfig", std::fs::read(&api.kubeconfig).unwrap()).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(600));
    let _ = (json!(1), Value::Null, Rollout::Complete, NewPods::Ready, free_port());
}
