//! Playbooks: the YAML files behind `aiwfe fix`, `aiwfe tune` and `aiwfe playbook run`.

pub mod journal;
