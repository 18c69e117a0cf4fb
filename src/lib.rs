//! herald: a static site generator for publicity and learning portals.
//!
//! Layers point down only (`layers.rs` lists them and a test enforces it):
//! a base of diagnostics, decoding, hashing, timings, formatting, escaping
//! and slugs; the site model ([`config`], [`content`], [`markdown`],
//! [`site`], [`output`]); [`link`] for URLs and relations; the template
//! layer ([`values`], [`functions`], [`templates`]); rendering ([`bodies`],
//! [`search`], [`feeds`], [`render`], [`stream`]); [`build`], the pipeline;
//! and the commands on top ([`check`], [`serve`], [`scaffold`], [`import`]).

// The library never prints: what it has to say goes to its caller.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod bodies;
pub mod build;
pub mod check;
pub mod config;
pub mod confine;
pub mod content;
pub mod data;
pub mod error;
pub mod escape;
pub mod feeds;
pub mod format;
pub mod frontmatter;
pub mod functions;
pub mod hash;
pub mod html;
pub mod images;
pub mod import;
pub mod kinds;
mod layers;
pub mod link;
pub mod markdown;
pub mod messages;
pub mod output;
pub mod qr;
pub mod related;
pub mod render;
pub mod resources;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod source;
pub mod stream;
pub mod templates;
pub mod theme;
pub mod timings;
pub mod values;
pub mod yaml;

pub use build::{BuildOptions, BuildReport, build, build_to_memory};
pub use error::{Diagnostic, Error};
