//! The one integration test binary: drives the real `aiwfe` executable against real
//! servers that the tests start themselves (see `tests/support`).

#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod contract;
mod fix;
mod hostile;
mod human;
mod kube;
mod kube_live;
mod kube_scale;
mod kubeapi_list;
mod kubeapi_server;
mod layout;
mod leaks;
mod messages;
mod output;
mod postgres;
mod proxy;
mod proxy_cap;
mod proxy_deflate;
mod proxy_jwks;
mod proxy_keys;
mod redis;
mod tune;
mod tune_prometheus;
mod ws;
