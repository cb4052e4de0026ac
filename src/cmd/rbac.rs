//! The least-privilege RBAC objects each mode needs, as YAML to `kubectl apply -f -`.
//! doctor only reads: list/watch-free `get`/`list` on what `ClusterState` holds, pod logs,
//! metrics, and `get` on Secrets (only to fingerprint the Redis password; values never leave).

use crate::cli::RbacMode;
use crate::error::Error;
use std::io::Write;

#[derive(Debug, Clone)]
pub struct Rbac {
    pub mode: RbacMode,
    /// Namespace of the ServiceAccount bound to the role.
    pub service_account_namespace: String,
}

pub fn run(r: Rbac, out: &mut impl Write) -> Result<u8, Error> {
    let _ = out.write_all(render(r.mode, &r.service_account_namespace).as_bytes());
    Ok(0)
}

pub fn render(mode: RbacMode, sa_namespace: &str) -> String {
    match mode {
        RbacMode::Doctor => format!(
            r#"# Read-only access for `aiwfe doctor` and `aiwfe snapshot`.
apiVersion: v1
kind: ServiceAccount
metadata:
  name: aiwfe-doctor
  namespace: {ns}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: aiwfe-doctor
rules:
- apiGroups: [""]
  resources: [pods, events, nodes]
  verbs: [get, list]
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
- apiGroups: [""]
  # Only to compare the Redis password by SHA-256 fingerprint; values are never printed.
  resources: [secrets]
  verbs: [get]
- apiGroups: [apps]
  resources: [deployments, replicasets]
  verbs: [get, list]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [get, list]
- apiGroups: [metrics.k8s.io]
  resources: [pods, nodes]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: aiwfe-doctor
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: aiwfe-doctor
subjects:
- kind: ServiceAccount
  name: aiwfe-doctor
  namespace: {ns}
"#,
            ns = sa_namespace
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doctor_role_is_read_only_yaml() {
        let y = render(RbacMode::Doctor, "ops");
        let docs = crate::cluster::parse_documents(&y).unwrap();
        assert_eq!(docs.len(), 3);
        let verbs: Vec<String> = docs[1]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["verbs"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()))
            .collect();
        assert!(verbs.iter().all(|v| v == "get" || v == "list"), "{verbs:?}");
        assert_eq!(docs[2]["subjects"][0]["namespace"], "ops");
    }
}
