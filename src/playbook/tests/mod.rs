//! Tests across the module: kubectl parity, the shipped playbooks, redaction.

mod kubectl;
mod params;
mod playbooks;
mod redaction;
