//! The one integration test binary: drives the real `aiwfe` executable against real
//! servers that the tests start themselves (see `tests/support`).

#![allow(clippy::unwrap_used)]

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod output;
mod postgres;
mod redis;
mod ws;
