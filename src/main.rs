//! The `herald` command: parses arguments, calls the library, prints.

/// mimalloc: many threads allocate small strings and values at once, where
/// glibc's allocator spends its time growing per-thread arenas (see
/// docs/architecture.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (mimalloc.h): the
/// Rust binding names no constant for it. Its default (1,000 ms in
/// mimalloc 3's options.c) is read back before it is set, so if an update
/// moved the index, nothing else is changed by mistake (and the test below
/// fails).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const PURGE_DELAY_DEFAULT: std::ffi::c_long = 1000;

/// A one-off build is one burst of allocation, so it tunes the allocator
/// for that: it never gives freed memory back to the system while it runs
/// (mimalloc's default returns it after a second, and the kernel then zeroes
/// it again when it is reused — 13–21% of a 10,000-page build's CPU samples
/// in `perf`), and it uses plain 4 KiB pages instead of transparent huge
/// pages, whose partly used 2 MiB pages raised peak memory by 20–45 MiB.
fn tune_memory_for_one_build() {
    // SAFETY: reads and sets a process-wide allocator option; mimalloc
    // documents `mi_option_get` and `mi_option_set` as callable at any time.
    unsafe {
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == PURGE_DELAY_DEFAULT {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// The dev server holds one site and replaces parts of it for hours: freed
/// memory goes back to the system after 50 ms (mimalloc's default second
/// keeps a rebuild's garbage resident beside the next one; no delay at all
/// made template edits 60% slower at 10,000 pages, the kernel zeroing
/// pages again), in 4 KiB pages rather than transparent huge pages (partly
/// used 2 MiB pages). Peak at 10,000 pages, `scripts/serve_bench.py`:
/// 635 MiB before, 586 MiB after.
fn tune_memory_for_serving() {
    // SAFETY: as in `tune_memory_for_one_build`.
    unsafe {
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == PURGE_DELAY_DEFAULT {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 50);
        }
    }
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

use clap::{Parser, Subcommand};
use herald::error::Error;
use herald::messages::Lang;
use herald::msg;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "herald",
    version,
    about = "A fast static site generator for publicity and learning portals"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of herald's messages: zh or en (default: HERALD_LANG,
    /// then the site's `language`). Places (file:line:column) read the same
    /// in both.
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    lang: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// The site folder (the one with site.yaml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; defaults to ROOT/public.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from site.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages with `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include pages dated in the future.
        #[arg(long)]
        future: bool,
        /// Print where the time went.
        #[arg(long)]
        timings: bool,
        /// List every place a repeated warning applies to.
        #[arg(long, short)]
        verbose: bool,
        /// Hold less at once, for some more work (on by itself from 30,000
        /// pages).
        #[arg(long)]
        low_memory: bool,
    },
    /// Preview the site with live reload (nothing is written to public/).
    Serve {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port (the next free one is used if it is busy; 0 picks any).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include pages with `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include pages dated in the future.
        #[arg(long)]
        future: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create a new site that builds at once.
    Init {
        /// Where to create it (default: the current folder).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Add the site to a folder that is not empty (existing files are kept).
        #[arg(long)]
        force: bool,
        /// Copy the built-in theme into themes/default/ to edit it (without
        /// it, the site uses the theme built into herald).
        #[arg(long)]
        with_theme: bool,
    },
    /// Create a page in a board, with the front matter of the board's kind.
    New {
        /// The board's key in site.yaml (e.g. news).
        board: String,
        /// The page's title; the file name is made from it.
        title: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build without writing and report broken links, missing files and
    /// pages no index reaches.
    Check {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also request every external URL (with a timeout).
        #[arg(long)]
        external: bool,
        /// With --external, also request URLs on loopback, private and
        /// link-local addresses (refused by default: in CI they could reach
        /// internal services).
        #[arg(long)]
        allow_private: bool,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// List every place a repeated warning applies to.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Make a new herald site from a Hugo, Zola, mdBook or Jekyll site
    /// (the source is never changed), with a report of what needs a person.
    Import {
        /// The site to import.
        source: PathBuf,
        /// A new or empty folder for the herald site.
        dest: PathBuf,
        /// The source's tool (hugo, zola, mdbook, jekyll); found from its
        /// config file when absent.
        #[arg(long, value_parser = parse_tool)]
        from: Option<herald::import::Tool>,
        /// A board's kind, SECTION=KIND (e.g. --kind docs=page); otherwise
        /// sections whose pages are mostly dated are articles, others pages,
        /// and a book is lessons.
        #[arg(long = "kind", value_parser = parse_kind)]
        kinds: Vec<(String, herald::config::Kind)>,
    },
}

fn parse_tool(s: &str) -> Result<herald::import::Tool, String> {
    herald::import::Tool::from_name(s)
        .ok_or_else(|| "expected one of: hugo, zola, mdbook, jekyll".into())
}

fn parse_lang(s: &str) -> Result<String, String> {
    let tag = s.trim().to_ascii_lowercase();
    if ["zh", "en"]
        .iter()
        .any(|l| tag == *l || tag.starts_with(&format!("{l}-")))
    {
        Ok(s.trim().to_string())
    } else {
        Err("herald speaks zh (Chinese) and en (English)".into())
    }
}

fn parse_kind(s: &str) -> Result<(String, herald::config::Kind), String> {
    let (section, kind) = s
        .split_once('=')
        .ok_or("expected SECTION=KIND, e.g. docs=page")?;
    let kind = herald::config::Kind::from_name(kind)
        .ok_or("kinds are: article, lesson, case, publication, page")?;
    Ok((section.to_string(), kind))
}

/// The language asked for: `--lang`, else `HERALD_LANG` (none when
/// neither says one).
fn asked_lang(flag: Option<&str>) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| std::env::var("HERALD_LANG").ok())
        .filter(|l| !l.trim().is_empty())
}

/// The language of messages about the site at `root`: the one asked for,
/// else the site's `language`.
fn lang_for(asked: Option<&str>, root: &std::path::Path) -> Lang {
    let site = herald::config::Config::language_of(root);
    Lang::choose(asked, None, site.as_deref())
}

/// Prints diagnostics to stderr, a warning said of many places once.
fn print_diagnostics(diags: &[herald::Diagnostic], verbose: bool, lang: Lang) {
    for group in herald::error::group_for_display(diags) {
        eprintln!("{}", group.show(verbose, lang));
    }
}

fn print_error(err: &Error, verbose: bool, lang: Lang) {
    match err {
        Error::Site(diags) => {
            print_diagnostics(diags, verbose, lang);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            eprintln!("{}", msg!("build-failed", errors).render(lang));
        }
        Error::Refused(why) => eprintln!("error: {}", why.render(lang)),
        Error::Io { context, source } => eprintln!("error: {}: {source}", context.render(lang)),
    }
}

fn serve(opts: herald::serve::ServeOptions, open: bool, lang: Lang) -> ExitCode {
    use herald::serve::ServeEvent;
    let report = std::sync::Arc::new(move |event: ServeEvent| match event {
        ServeEvent::Listening { url, note } => {
            if let Some(n) = note {
                eprintln!("note: {n}");
            }
            println!("{}", msg!("serving-at", url).render(lang));
        }
        ServeEvent::Warning(w) => eprintln!("warning: {w}"),
        ServeEvent::Rebuilt {
            millis,
            files,
            changed,
            kind,
        } => {
            println!("{}", kind.line(millis, files, changed).render(lang))
        }
        ServeEvent::Failed(diags) => {
            print_diagnostics(&diags, false, lang);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            eprintln!("{}", msg!("rebuild-failed", errors).render(lang));
        }
    });
    match herald::serve::start(&opts, report) {
        Ok(running) => {
            if open {
                let opener = if cfg!(target_os = "macos") {
                    "open"
                } else {
                    "xdg-open"
                };
                let _ = std::process::Command::new(opener).arg(&running.url).spawn();
            }
            loop {
                std::thread::park();
            }
        }
        Err(e) => {
            print_error(&e, false, lang);
            exit_code(&e)
        }
    }
}

/// 1 for problems in the site, 2 for a request herald refuses (bad usage).
fn exit_code(err: &Error) -> ExitCode {
    match err {
        Error::Refused(_) => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}

/// A one-off command whose output goes into a pipe that closes early
/// (`herald check | head`) ends quietly, as other Unix tools do, instead of
/// panicking in `println!` (Rust ignores SIGPIPE, so the write fails). Not
/// for `herald serve`, whose sockets must survive a browser going away.
fn end_quietly_on_a_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: sets the default disposition of one signal, at start-up,
    // before any thread exists; `signal` is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        end_quietly_on_a_closed_pipe();
    }
    let asked = asked_lang(cli.lang.as_deref());
    let flag = asked.as_deref();
    match cli.command {
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            future,
            open,
        } => {
            let lang = lang_for(flag, &root);
            let opts = herald::serve::ServeOptions {
                bind,
                port,
                drafts,
                future,
                // Asked for, the overlay speaks it too; else the site's.
                lang: flag.map(Lang::of_tag),
                ..herald::serve::ServeOptions::new(root)
            };
            tune_memory_for_serving();
            serve(opts, open, lang)
        }
        Command::Init {
            dir,
            force,
            with_theme,
        } => {
            let result =
                herald::scaffold::init(&dir, herald::scaffold::InitOptions { force, with_theme });
            let lang = lang_for(flag, &dir);
            match result {
                Ok(_) => {
                    let shown = dir.display();
                    println!("{}\n", msg!("init-done", dir = shown).render(lang));
                    if dir != std::path::Path::new(".") {
                        println!("  cd {shown}");
                    }
                    println!(
                        "  herald build        # {}",
                        msg!("init-build").render(lang)
                    );
                    println!(
                        "  herald serve        # {}",
                        msg!("init-serve").render(lang)
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    print_error(&e, false, lang);
                    exit_code(&e)
                }
            }
        }
        Command::Import {
            source,
            dest,
            from,
            kinds,
        } => {
            let opts = herald::import::ImportOptions {
                source,
                dest,
                from,
                kinds,
            };
            let result = herald::import::import(&opts);
            let lang = lang_for(flag, &opts.dest);
            match result {
                Ok(done) => {
                    print!("{}", done.report.summary());
                    for line in &done.report.check {
                        println!("check: {line}");
                    }
                    println!("{}", done.summary(&opts.dest).render(lang));
                    if done.report.check_passed {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Err(Error::Site(diags)) => {
                    print_diagnostics(&diags, false, lang);
                    let errors = diags.iter().filter(|d| d.is_error()).count();
                    eprintln!("{}", msg!("import-failed", errors).render(lang));
                    ExitCode::from(1)
                }
                Err(e) => {
                    print_error(&e, false, lang);
                    exit_code(&e)
                }
            }
        }
        Command::New { board, title, root } => {
            let lang = lang_for(flag, &root);
            match herald::scaffold::new_page(&root, &board, &title) {
                Ok(path) => {
                    println!("{}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    print_error(&e, false, lang);
                    exit_code(&e)
                }
            }
        }
        Command::Check {
            root,
            external,
            allow_private,
            drafts,
            verbose,
        } => {
            let opts = herald::check::CheckOptions {
                root,
                drafts,
                external,
                allow_private,
            };
            let lang = lang_for(flag, &opts.root);
            match herald::check::check(&opts) {
                Ok(report) => {
                    print_diagnostics(&report.problems, verbose, lang);
                    for url in &report.external {
                        println!("external: {url}");
                    }
                    println!("{}", report.summary(external).render(lang));
                    if report.problems.iter().any(|d| d.is_error()) {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => {
                    print_error(&e, verbose, lang);
                    exit_code(&e)
                }
            }
        }
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
            timings,
            verbose,
            low_memory,
        } => {
            let started = std::time::Instant::now();
            let lang = lang_for(flag, &root);
            tune_memory_for_one_build();
            let opts = herald::BuildOptions {
                root,
                output,
                base_url,
                drafts,
                future,
                low_memory: low_memory.then_some(true),
                ..herald::BuildOptions::default()
            };
            match herald::build(&opts) {
                Ok(report) => {
                    print_diagnostics(&report.warnings, verbose, lang);
                    if timings {
                        let t = &report.timings;
                        for (i, (phase, d)) in t.phases.iter().enumerate() {
                            let mib = t.resident.get(i).copied().unwrap_or(0) >> 20;
                            println!(
                                "  {phase:<14} {:>8.1} ms   cpu {:>6} ms   {mib:>5} MiB resident",
                                d.as_secs_f64() * 1000.0,
                                t.cpu_in(i).as_millis()
                            );
                        }
                    }
                    let summary = report.summary(started.elapsed().as_millis());
                    println!("{}", summary.render(lang));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    print_error(&e, verbose, lang);
                    exit_code(&e)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// The index herald sets still holds `mi_option_purge_delay`'s default:
    /// an update that renumbered the options would show here first.
    #[test]
    fn the_purge_delay_option_is_where_herald_sets_it() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: only reads an allocator option.
        let v = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(v, super::PURGE_DELAY_DEFAULT);
    }
}
