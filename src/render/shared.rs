//! Values every render job shares: pages (as lists show them and whole),
//! series, boards, strings; and [`PageWriter`], which writes pages' own
//! outputs while a one-off build is still rendering Markdown.

use super::jobs::Renderer;
use super::plan::Job;
use crate::error::Diagnostic;
use crate::output::Sink;
use crate::site::Site;
use crate::templates::Templates;
use crate::values;
use std::collections::{BTreeMap, HashMap};
use tera::Value;

/// Template values computed once per render and shared by every job.
#[derive(Clone)]
pub struct Values {
    /// Page values as lists show them (see [`values::for_lists`]).
    pub(super) pages: HashMap<String, Value>,
    /// Whole page and series values for the pages' own outputs, when lists
    /// show less (`None`: `pages` and `series` are whole).
    pub(super) own: Option<std::sync::Arc<Own>>,
    pub(super) site_value: Value,
    pub(super) strings: Value,
    pub(super) series: BTreeMap<String, Value>,
    /// Board values, in site.yaml order.
    pub(super) boards: Vec<Value>,
    /// `search`, given to the search page only.
    pub(super) search: Value,
}

/// Whole values of pages and series, for the pages' own outputs.
#[derive(Clone)]
pub struct Own {
    pub(super) pages: HashMap<String, Value>,
    pub(super) series: BTreeMap<String, Value>,
}

/// Series values made from `pages`.
pub(super) fn series_values(
    site: &Site,
    pages: &HashMap<String, Value>,
) -> BTreeMap<String, Value> {
    site.series
        .keys()
        .map(|slug| (slug.clone(), values::series(site, slug, pages)))
        .collect()
}

impl Values {
    /// The values every job shares, without pages, series or search.
    pub(super) fn common(site: &Site, templates: &Templates) -> Values {
        Values {
            pages: HashMap::new(),
            own: None,
            site_value: values::site(site, &templates.strings),
            strings: Value::from_serializable(&templates.strings),
            series: BTreeMap::new(),
            boards: (0..site.boards.len())
                .map(|i| values::board(site, i))
                .collect(),
            search: Value::none(),
        }
    }
}

/// Writes pages' own outputs while a one-off build is still rendering the
/// rest of the site's Markdown, so that the HTML of every page is never
/// held at once: a page's output needs only its own value, its board's
/// and, for a lesson, its series' (with every lesson's value).
pub struct PageWriter<'a> {
    site: &'a Site,
    templates: &'a Templates,
    common: Values,
}

impl<'a> PageWriter<'a> {
    pub fn new(site: &'a Site, templates: &'a Templates) -> Self {
        PageWriter {
            site,
            templates,
            common: Values::common(site, templates),
        }
    }

    /// Writes the outputs of `pages` (keys and values: one page, or the
    /// lessons of `series`, given with its value). Returns the template
    /// errors.
    pub fn write(
        &self,
        pages: HashMap<String, Value>,
        series: Option<(String, Value)>,
        sink: &dyn Sink,
    ) -> Vec<Diagnostic> {
        let v = Values {
            pages,
            series: series.into_iter().collect(),
            ..self.common.clone()
        };
        let r = Renderer {
            site: self.site,
            templates: self.templates,
            v: &v,
        };
        let mut keys: Vec<&String> = v.pages.keys().collect();
        keys.sort_unstable();
        keys.into_iter()
            .filter_map(|k| r.run(&Job::Page(k.clone()), sink).err())
            .collect()
    }
}
