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
    /// Where `fix` writes (its Role's namespace).
    pub namespace: String,
}

pub fn run(r: Rbac, out: &mut impl Write) -> Result<u8, Error> {
    let text = match r.mode {
        RbacMode::Doctor => render(r.mode, &r.service_account_namespace),
        RbacMode::Fix => render_fix(&r.service_account_namespace, &r.namespace),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(0)
}

/// `aiwfe fix`, `aiwfe playbook run`, `aiwfe rollback` and `aiwfe history --prune`: read
/// what doctor reads, cluster-wide (a ClusterRole), and write only in `ns` (a Role): patch
/// workloads and watch their rollouts, read the password Secret and patch it, create and
/// delete the labelled backup Secrets, create and patch HPAs.
pub fn render_fix(sa_ns: &str, ns: &str) -> String {
    let read = render(RbacMode::Doctor, sa_ns)
        .replace("# Read-only access for `aiwfe doctor` and `aiwfe snapshot`.\n", "")
        .replace("aiwfe-doctor", "aiwfe-fix");
    format!(
        r#"# `aiwfe fix`: what doctor reads (cluster-wide), and writes in namespace `{ns}` only.
{read}---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: aiwfe-fix
  namespace: {ns}
rules:
- apiGroups: [apps]
  resources: [deployments, statefulsets, daemonsets]
  verbs: [get, list, watch, patch]
- apiGroups: [""]
  # The Secret the consumers read the Redis password from is patched; backups of objects
  # that hold a secret are created, read by `aiwfe rollback`, deleted by `aiwfe history --prune`.
  resources: [secrets]
  verbs: [get, list, create, patch, delete]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [get, list, create, patch, delete]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: aiwfe-fix
  namespace: {ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: aiwfe-fix
subjects:
- kind: ServiceAccount
  name: aiwfe-fix
  namespace: {sa_ns}
"#
    )
}

pub fn render(mode: RbacMode, sa_namespace: &str) -> String {
    match mode {
        RbacMode::Fix => render_fix(sa_namespace, sa_namespace),
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

    #[test]
    fn fix_reads_cluster_wide_and_writes_in_one_namespace() {
        let y = render_fix("ops", "aiwfe");
        let docs = crate::cluster::parse_documents(&y).unwrap();
        let kinds: Vec<&str> = docs.iter().map(|d| d["kind"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]
        );
        let verbs = |d: &serde_json::Value| -> Vec<String> {
            d["rules"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|r| r["verbs"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()))
                .collect()
        };
        assert!(verbs(&docs[1]).iter().all(|v| v == "get" || v == "list"));
        assert!(verbs(&docs[3]).contains(&"patch".to_string()));
        assert_eq!(docs[3]["metadata"]["namespace"], "aiwfe");
        assert_eq!(docs[4]["subjects"][0]["namespace"], "ops");
        assert_eq!(docs[2]["roleRef"]["name"], "aiwfe-fix");
    }
}
