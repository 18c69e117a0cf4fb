//! The `herald` command: parses arguments, calls the library, prints.

use clap::{Parser, Subcommand};
use herald::error::Error;
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
    },
}

fn print_error(err: &Error) {
    match err {
        Error::Site(diags) => {
            for d in diags {
                eprintln!("{d}");
            }
            let errors = diags.iter().filter(|d| d.is_error()).count();
            eprintln!("build failed: {errors} error(s); the previous output was left as it was");
        }
        other => eprintln!("error: {other}"),
    }
}

/// 1 for problems in the site, 2 for a request herald refuses (bad usage).
fn exit_code(err: &Error) -> ExitCode {
    match err {
        Error::Refused(_) => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
            timings,
        } => {
            let started = std::time::Instant::now();
            let opts = herald::BuildOptions {
                root,
                output,
                base_url,
                drafts,
                future,
                now: None,
            };
            match herald::build(&opts) {
                Ok(report) => {
                    for w in &report.warnings {
                        eprintln!("{w}");
                    }
                    if timings {
                        for (phase, d) in &report.timings.phases {
                            println!("  {phase:<14} {:>8.1} ms", d.as_secs_f64() * 1000.0);
                        }
                    }
                    println!(
                        "Built {} pages, {} boards, {} files into {} in {} ms",
                        report.pages,
                        report.boards,
                        report.files,
                        report.output.display(),
                        started.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    print_error(&e);
                    exit_code(&e)
                }
            }
        }
    }
}
