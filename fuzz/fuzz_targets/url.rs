//! The dev server's request-target resolution: never a file outside the
//! site, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use herald::serve::paths::{Resolved, resolve};

fuzz_target!(|data: &[u8]| {
    let Ok(target) = std::str::from_utf8(data) else { return };
    let files = ["index.html", "news/a/index.html", "style.css"];
    if let Resolved::File(f) = resolve(target, "/portal/", |p| files.contains(&p)) {
        assert!(files.contains(&f.as_str()), "resolved to {f}");
        assert!(!f.contains(".."), "{f}");
    }
});
