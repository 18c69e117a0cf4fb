//! herald: a static site generator for publicity and learning portals.
//!
//! Data flows one way: [`config`] and [`content`] load the site, [`link`]
//! computes URLs and relations into the [`site`] model, [`markdown`] renders
//! page bodies, [`render`] runs the templates ([`templates`], [`values`]),
//! and [`output`] writes the result. [`build`] ties the steps together.

pub mod build;
pub mod check;
pub mod config;
pub mod confine;
pub mod content;
pub mod data;
pub mod error;
pub mod escape;
pub mod feeds;
pub mod frontmatter;
pub mod functions;
pub mod images;
pub mod link;
pub mod markdown;
pub mod output;
pub mod render;
pub mod resources;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod stream;
pub mod templates;
pub mod values;
pub mod yaml;

pub use build::{BuildOptions, BuildReport, build, build_to_memory};
pub use error::{Diagnostic, Error};
