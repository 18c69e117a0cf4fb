//! Lines of code already parsed in this build. syntect's parser is a
//! function of the grammar's state and the line, so a line met again in
//! the same state gets the same scope changes without its regex searches
//! (20–100 µs a line, docs/performance.md). Only lines that leave the
//! state as they found it are kept (most lines of a body: a statement, a
//! closing brace, a blank line), so the state itself — which holds regex
//! regions that cannot be shared between threads — never is: it is known
//! by two independent 64-bit hashes of its `Debug` text. Real code repeats many of its lines: 35 % of
//! herald's own Rust lines and 45 % of syntect's and Tera's repeat an
//! earlier one. Bounded: past [`MAX_LINES`] lines it only looks up.

use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use syntect::parsing::{ParseState, ParsingError, ScopeStackOp, SyntaxSet};

/// Most lines kept (a few hundred bytes each).
const MAX_LINES: usize = 100_000;

type Ops = Vec<(usize, ScopeStackOp)>;

/// One line parsed in one state, which it left unchanged.
struct Parsed {
    /// The state's second hash (the first is the map's key, with the line).
    state: u64,
    line: Box<str>,
    ops: Ops,
}

/// Hashes what is written to it twice, with two unrelated hashers.
struct TwoHashes(
    rustc_hash::FxHasher,
    std::collections::hash_map::DefaultHasher,
);

impl std::fmt::Write for TwoHashes {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        self.1.write(s.as_bytes());
        Ok(())
    }
}

#[derive(Default)]
pub(super) struct LineMemo {
    /// By the hash of the state's text and the line.
    lines: Mutex<FxHashMap<u64, Vec<Parsed>>>,
    count: AtomicUsize,
}

impl LineMemo {
    /// [`ParseState::parse_line`], from the memo when this line was parsed
    /// in this state before.
    pub(super) fn parse_line(
        &self,
        state: &mut ParseState,
        line: &str,
        ss: &SyntaxSet,
    ) -> Result<Ops, ParsingError> {
        let mut h = TwoHashes(Default::default(), Default::default());
        let _ = write!(h, "{state:?}");
        line.hash(&mut h.0);
        let (key, second) = (h.0.finish(), h.1.finish());
        {
            let lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
            let found = (lines.get(&key))
                .and_then(|v| v.iter().find(|p| *p.line == *line && p.state == second));
            if let Some(p) = found {
                return Ok(p.ops.clone());
            }
        }
        let keep = self.count.load(Ordering::Relaxed) < MAX_LINES;
        let before = keep.then(|| state.clone());
        let ops = state.parse_line(line, ss)?;
        if before.is_some_and(|b| b == *state) {
            let mut lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
            lines.entry(key).or_default().push(Parsed {
                state: second,
                line: line.into(),
                ops: ops.clone(),
            });
            self.count.fetch_add(1, Ordering::Relaxed);
        }
        Ok(ops)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo's scope changes and states are the parser's own, line by
    /// line, over code that repeats lines in and out of a comment.
    #[test]
    fn a_remembered_line_parses_as_the_parser_would() {
        let ss = two_face::syntax::extra_newlines();
        let code = "fn a() {\n    x += 1;\n}\n/*\n    x += 1;\n}\n*/\nfn b() {\n    x += 1;\n}\n";
        let syntax = ss.find_syntax_by_token("rust").unwrap();
        let memo = LineMemo::default();
        let (mut plain, mut remembered) = (ParseState::new(syntax), ParseState::new(syntax));
        for line in syntect::util::LinesWithEndings::from(code) {
            let want = plain.parse_line(line, &ss).unwrap();
            let got = memo.parse_line(&mut remembered, line, &ss).unwrap();
            assert_eq!(got, want, "{line:?}");
            assert_eq!(remembered, plain, "{line:?}");
        }
        assert!(memo.count.load(Ordering::Relaxed) > 0);
    }
}
