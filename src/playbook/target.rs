//! What a step writes to: `deployment/NAME` and friends, mapped to apiVersion and kind.

use serde::Serialize;
use serde::ser::SerializeStruct;
use std::fmt;

/// The kinds a playbook step can target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Deployment,
    StatefulSet,
    DaemonSet,
    Secret,
    HorizontalPodAutoscaler,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Deployment,
        Kind::StatefulSet,
        Kind::DaemonSet,
        Kind::Secret,
        Kind::HorizontalPodAutoscaler,
    ];

    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet => "apps/v1",
            Kind::Secret => "v1",
            Kind::HorizontalPodAutoscaler => "autoscaling/v2",
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Kind::Deployment => "Deployment",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::Secret => "Secret",
            Kind::HorizontalPodAutoscaler => "HorizontalPodAutoscaler",
        }
    }

    /// The lowercase singular name used in targets and messages (`deployment`).
    pub fn resource(self) -> &'static str {
        match self {
            Kind::Deployment => "deployment",
            Kind::StatefulSet => "statefulset",
            Kind::DaemonSet => "daemonset",
            Kind::Secret => "secret",
            Kind::HorizontalPodAutoscaler => "horizontalpodautoscaler",
        }
    }

    /// Deployments, StatefulSets and DaemonSets: the kinds with a pod template.
    pub fn is_workload(self) -> bool {
        matches!(self, Kind::Deployment | Kind::StatefulSet | Kind::DaemonSet)
    }

    /// The kind a target's prefix names, with kubectl's plural and short forms.
    pub fn from_resource(word: &str) -> Option<Kind> {
        Some(match word.to_ascii_lowercase().as_str() {
            "deployment" | "deployments" | "deploy" => Kind::Deployment,
            "statefulset" | "statefulsets" | "sts" => Kind::StatefulSet,
            "daemonset" | "daemonsets" | "ds" => Kind::DaemonSet,
            "secret" | "secrets" => Kind::Secret,
            "hpa" | "horizontalpodautoscaler" | "horizontalpodautoscalers" => Kind::HorizontalPodAutoscaler,
            _ => return None,
        })
    }

    /// The kind of an object by its `kind` field (any apiVersion group it belongs to).
    pub fn from_kind(kind: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.kind() == kind)
    }
}

/// One object: kind (hence apiVersion), namespace and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjectRef {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> ObjectRef {
        ObjectRef {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// Parses `RESOURCE/NAME` (`deployment/reasoning-service`, `sts/redis`, `hpa/api`) in
    /// `namespace`. The message of an error is a sentence fragment for the caller to place.
    pub fn parse(target: &str, namespace: &str) -> Result<ObjectRef, String> {
        let Some((resource, name)) = target.split_once('/') else {
            return Err(format!(
                "target `{target}` is not RESOURCE/NAME (e.g. `deployment/reasoning-service`)"
            ));
        };
        let kind = Kind::from_resource(resource.trim()).ok_or_else(|| {
            format!(
                "target `{target}`: unknown resource `{resource}`; expected one of {}",
                super::error::backticked(Kind::ALL.iter().map(|k| k.resource()).chain(["hpa"]))
            )
        })?;
        check_name(name.trim(), "name")?;
        check_namespace(namespace)?;
        Ok(ObjectRef::new(kind, namespace, name.trim()))
    }

    /// The same name and namespace as another kind.
    pub fn with_kind(&self, kind: Kind) -> ObjectRef {
        ObjectRef { kind, ..self.clone() }
    }

    pub fn api_version(&self) -> &'static str {
        self.kind.api_version()
    }
}

/// A DNS-1123 subdomain: lowercase letters, digits, `-` and `.`, at most 253 characters,
/// starting and ending with a letter or digit.
fn check_name(name: &str, what: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(format!("`{name}` is not a valid {what} (lowercase letters, digits, `-`, `.`)"))
    }
}

/// A DNS-1123 label: as a name, without `.`, at most 63 characters.
pub(crate) fn check_namespace(namespace: &str) -> Result<(), String> {
    check_name(namespace, "namespace")?;
    if namespace.len() > 63 || namespace.contains('.') {
        return Err(format!("`{namespace}` is not a valid namespace (at most 63 characters, no `.`)"));
    }
    Ok(())
}

/// `deployment/reasoning-service`.
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind.resource(), self.name)
    }
}

/// `{apiVersion, kind, namespace, name}`, as Kubernetes spells an object reference.
impl Serialize for ObjectRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ObjectRef", 4)?;
        st.serialize_field("apiVersion", self.kind.api_version())?;
        st.serialize_field("kind", self.kind.kind())?;
        st.serialize_field("namespace", &self.namespace)?;
        st.serialize_field("name", &self.name)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_targets_with_kubectl_resource_names() {
        let r = ObjectRef::parse("deployment/reasoning-service", "aiwfe").unwrap();
        assert_eq!(
            (r.kind, r.name.as_str(), r.namespace.as_str()),
            (Kind::Deployment, "reasoning-service", "aiwfe")
        );
        assert_eq!(r.to_string(), "deployment/reasoning-service");
        assert_eq!(ObjectRef::parse("sts/redis", "a").unwrap().kind, Kind::StatefulSet);
        assert_eq!(ObjectRef::parse("daemonset/x", "a").unwrap().kind, Kind::DaemonSet);
        assert_eq!(ObjectRef::parse("secret/redis-auth", "a").unwrap().api_version(), "v1");
        let hpa = ObjectRef::parse("hpa/api", "a").unwrap();
        assert_eq!(hpa, ObjectRef::parse("horizontalpodautoscaler/api", "a").unwrap());
        assert_eq!(hpa.api_version(), "autoscaling/v2");
    }

    #[test]
    fn rejects_malformed_targets() {
        assert!(ObjectRef::parse("reasoning-service", "a").unwrap_err().contains("RESOURCE/NAME"));
        assert!(ObjectRef::parse("pod/x", "a").unwrap_err().contains("unknown resource `pod`"));
        assert!(ObjectRef::parse("deployment/", "a").is_err());
        assert!(ObjectRef::parse("deployment/Bad_Name", "a").is_err());
        assert!(ObjectRef::parse("deployment/x", "").unwrap_err().contains("namespace"));
    }

    #[test]
    fn serializes_as_a_kubernetes_object_reference() {
        let r = ObjectRef::parse("deploy/x", "aiwfe").unwrap();
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "aiwfe", "name": "x"})
        );
    }
}
