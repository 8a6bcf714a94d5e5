//! outlet-filing: filing, review and publication of Inner Mongolia's intellectual-property
//! information public-service outlets (知识产权信息公共服务网点), as the region's guideline
//! (《内蒙古自治区知识产权信息公共服务网点备案工作指引》) lays down.
//!
//! # Layout
//!
//! - [`domain`]: validated values and rules (USCC, scopes, texts, the clock), no I/O.
//! - [`authz`]: the casbin model and policy — who may do what — and the one door to them.
//! - [`identity`]: passwords, tokens, and the caller of a request.
//! - [`service`]: use cases, each one transaction with its audit event.
//! - [`graphql`]: the schema — thin resolvers over the services.
//! - [`web`]: HTTP — the GraphQL endpoint, health checks, request ids.
//! - [`startup`], [`config`], [`db`], [`telemetry`], [`cli`]: wiring.

pub mod authz;
pub mod cli;
pub mod config;
pub mod db;
mod downloads;
pub use ::domain;
pub mod error;
pub mod graphql;
pub mod identity;
pub mod priority;
pub mod public_answers;
pub mod serve;
pub mod service;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod throttle;
pub mod web;
