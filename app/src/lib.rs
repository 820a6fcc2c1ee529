#![recursion_limit = "256"]
// A server function takes one argument per field of its form, and the stubs leptos generates
// for the browser repeat them, where a per-function allow cannot reach.
#![allow(clippy::too_many_arguments)]
//! The Forth Valley child protection improvement-plan platform: pages, server functions and
//! the types both sides share. The `ssr` feature adds the server side (persistence, state);
//! `hydrate` builds the browser side.

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
mod routes;
#[cfg(feature = "ssr")]
pub mod server;

pub use routes::{shell, App};
