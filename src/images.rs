//! Responsive images: resized variants (480, 960 and 1600 px wide by
//! default) of raster covers, figures and Markdown images, with `srcset`,
//! `width` and `height`; an original wider than the largest variant is
//! never offered to browsers (a phone would fetch all of it). Variants
//! are cached in `ROOT/.herald-cache/images/`, keyed by the source's content
//! hash and the width, so an unchanged image is never processed twice.
//! A file that does not decode is an error naming it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const CACHE_DIR: &str = ".herald-cache/images";
pub const DEFAULT_WIDTHS: [u32; 3] = [480, 960, 1600];

/// Originals above this size are named in a warning.
pub const LARGE_BYTES: u64 = 2 * 1024 * 1024;

/// A processed image for templates.
#[derive(Debug, Clone)]
pub struct Responsive {
    pub src: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
}

/// Produces variants and remembers which files the output needs.
pub struct Images {
    cache: PathBuf,
    real_root: PathBuf,
    /// Output path → cached file.
    produced: Mutex<BTreeMap<String, PathBuf>>,
    /// How many variants were actually computed (not taken from the cache).
    pub computed: std::sync::atomic::AtomicUsize,
    /// Originals above [`LARGE_BYTES`], with their sizes.
    large: Mutex<BTreeMap<PathBuf, u64>>,
}

/// A regular file, not a symbolic link.
fn is_regular(path: &Path) -> bool {
    path.symlink_metadata().is_ok_and(|m| m.is_file())
}

fn raster_format(ext: &str) -> Option<image::ImageFormat> {
    match ext {
        "jpg" | "jpeg" => Some(image::ImageFormat::Jpeg),
        "png" => Some(image::ImageFormat::Png),
        "webp" => Some(image::ImageFormat::WebP),
        "gif" => Some(image::ImageFormat::Gif),
        _ => None,
    }
}

impl Images {
    pub fn new(root: &Path) -> Self {
        Images {
            cache: root.join(CACHE_DIR),
            real_root: crate::confine::real_root(root),
            produced: Mutex::new(BTreeMap::new()),
            computed: std::sync::atomic::AtomicUsize::new(0),
            large: Mutex::new(BTreeMap::new()),
        }
    }

    /// Originals above [`LARGE_BYTES`] that were shown, with their sizes.
    pub fn large(&self) -> Vec<(PathBuf, u64)> {
        self.large
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(p, b)| (p.clone(), *b))
            .collect()
    }

    /// Files to copy into the output: (output path, cached file).
    pub fn outputs(&self) -> Vec<(String, PathBuf)> {
        self.produced
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Makes the variants of `disk` (published at `url`), under `base_path`.
    /// Returns `Ok(None)` for formats that are not resized (SVG).
    pub fn responsive(
        &self,
        disk: &Path,
        url: &str,
        base_path: &str,
        widths: &[u32],
    ) -> Result<Option<Responsive>, String> {
        let ext = disk
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let Some(format) = raster_format(&ext) else {
            return Ok(None);
        };
        if let Err(e) = crate::confine::check(&self.real_root, &self.cache) {
            return Err(match e {
                crate::confine::Escape::Outside(to) => format!(
                    "{CACHE_DIR} is a symbolic link out of the site (to {}); remove the link, herald makes the folder itself",
                    to.display()
                ),
                crate::confine::Escape::Dangling => {
                    format!("{CACHE_DIR} is a broken symbolic link; remove it")
                }
            });
        }
        let bytes =
            std::fs::read(disk).map_err(|e| format!("cannot read {}: {e}", disk.display()))?;
        if bytes.len() as u64 > LARGE_BYTES {
            self.large
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(disk.to_path_buf(), bytes.len() as u64);
        }
        let hash = crate::hash::short_hash(&bytes);
        let dims_file = self.cache.join(format!("{hash}.{ext}.size"));
        let cached_dims = is_regular(&dims_file)
            .then(|| std::fs::read_to_string(&dims_file).ok())
            .flatten()
            .and_then(|s| {
                let (w, h) = s.trim().split_once('x')?;
                Some((w.parse::<u32>().ok()?, h.parse::<u32>().ok()?))
            });
        let needed: Vec<u32> = widths.to_vec();
        let all_cached = cached_dims.is_some()
            && needed.iter().all(|w| {
                cached_dims.is_some_and(|(ow, _)| *w >= ow)
                    || is_regular(&self.cache.join(format!("{hash}-{w}.{ext}")))
            });
        let mut decoded = None;
        let (width, height) = match (cached_dims, all_cached) {
            (Some(d), true) => d,
            _ => {
                let img = image::load_from_memory_with_format(&bytes, format).map_err(|e| {
                    format!(
                        "the image {} cannot be decoded ({e}); is the file complete?",
                        disk.display()
                    )
                })?;
                let d = (img.width(), img.height());
                std::fs::create_dir_all(&self.cache)
                    .map_err(|e| format!("cannot create {}: {e}", self.cache.display()))?;
                let _ = std::fs::write(&dims_file, format!("{}x{}", d.0, d.1));
                decoded = Some(img);
                d
            }
        };
        let mut srcset = Vec::new();
        for &w in &needed {
            if w >= width {
                continue;
            }
            let name = format!("{hash}-{w}.{ext}");
            let cached = self.cache.join(&name);
            // Only a real file counts: a link planted in the cache is
            // replaced (the rename below replaces the link, not its target).
            if !is_regular(&cached) {
                let img = match &decoded {
                    Some(i) => i,
                    None => {
                        decoded =
                            Some(image::load_from_memory_with_format(&bytes, format).map_err(
                                |e| format!("the image {} cannot be decoded ({e})", disk.display()),
                            )?);
                        decoded.as_ref().expect("just set")
                    }
                };
                let h = (u64::from(height) * u64::from(w) / u64::from(width)).max(1) as u32;
                let resized = img.resize_exact(w, h, image::imageops::FilterType::Triangle);
                let tmp = self.cache.join(format!(".{name}.tmp"));
                resized
                    .save_with_format(&tmp, format)
                    .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
                std::fs::rename(&tmp, &cached)
                    .map_err(|e| format!("cannot write {}: {e}", cached.display()))?;
                self.computed
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let out = format!("processed/{name}");
            srcset.push(format!("{base_path}{out} {w}w"));
            self.produced
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(out, cached);
        }
        // An original wider than every variant is never offered: phones
        // would fetch it as `src`, large screens from `srcset`.
        let widest = needed.iter().copied().max().unwrap_or(0);
        let src = if width > widest && widest > 0 {
            format!("{base_path}processed/{hash}-{widest}.{ext}")
        } else {
            srcset.push(format!("{url} {width}w"));
            url.to_string()
        };
        Ok(Some(Responsive {
            src,
            srcset: srcset.join(", "),
            width,
            height,
        }))
    }
}
