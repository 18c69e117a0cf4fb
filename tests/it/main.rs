//! herald's integration tests, in one binary: each module drives the real
//! `herald` binary (or the library) over fixture sites in temporary
//! folders. `common` copies the fixture sites from `tests/fixtures/` and
//! runs herald; `generator` is the benchmark corpus generator.

mod common;
#[path = "../../examples/corpus/generator.rs"]
#[allow(dead_code)]
mod generator;

mod build;
mod corpus;
mod discovery;
mod errors;
mod faults;
mod highlight;
mod import;
mod kinds;
mod languages;
mod load;
mod messages;
mod properties;
mod real_sites;
mod safety;
mod serve;
mod serve_attacks;
mod serve_diff;
mod theme;
mod theme_reading;
mod toolkit;
