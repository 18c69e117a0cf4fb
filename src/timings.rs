//! Time and memory per build phase (`herald build --timings`).

use std::time::{Duration, Instant};

/// Time spent per phase, and the resident memory at its end.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub phases: Vec<(&'static str, Duration)>,
    /// Resident set size in bytes after each phase (Linux; 0 elsewhere).
    pub resident: Vec<u64>,
    /// CPU time of the whole process (all threads) at the end of each
    /// phase (Linux, in 10 ms ticks; zero elsewhere): the difference from
    /// the previous phase over its wall time shows how parallel it was.
    pub cpu: Vec<Duration>,
}

impl Timings {
    /// Records the time since `since` under `name` and restarts the clock.
    pub fn lap(&mut self, name: &'static str, since: &mut Instant) {
        let now = Instant::now();
        self.phases.push((name, now - *since));
        self.resident.push(resident_bytes());
        self.cpu.push(process_cpu());
        *since = now;
    }

    /// CPU time spent in phase `i` (all threads).
    pub fn cpu_in(&self, i: usize) -> Duration {
        let end = self.cpu.get(i).copied().unwrap_or_default();
        let start = match i {
            0 => Duration::ZERO,
            _ => self.cpu.get(i - 1).copied().unwrap_or_default(),
        };
        end.saturating_sub(start)
    }
}

/// User plus system time of this process so far, from `/proc/self/stat`
/// (fields 14 and 15, in the kernel's fixed 100 Hz user ticks).
fn process_cpu() -> Duration {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // The command name (field 2) may hold spaces: count after its `)`.
            let rest = &s[s.rfind(')')? + 1..];
            let mut fields = rest.split_whitespace().skip(11);
            let user: u64 = fields.next()?.parse().ok()?;
            let system: u64 = fields.next()?.parse().ok()?;
            Some(user + system)
        });
    Duration::from_millis(ticks.unwrap_or(0) * 10)
}

/// The process's resident memory now, from the `VmRSS` line of
/// `/proc/self/status` (in kB there, so no page size is needed).
fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kb| kb << 10)
}
