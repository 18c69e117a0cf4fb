//! A deterministic generator of realistic portal sites for benchmarks:
//! mixed Chinese/English Markdown (~6 KB a page) with headings, tables,
//! footnotes, code blocks in ~30% of pages, 35 tags, internal links, all four
//! content kinds, and cover images for publications.

use std::fmt::Write;
use std::path::Path;

/// SplitMix64: tiny, deterministic, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ZH: &[&str] = &[
    "县里今年把便民服务站开到了村口，群众办事不再来回跑",
    "志愿者们每周六上午在社区门口摆摊，帮居民修理小家电",
    "合作社用电子表格记录每一笔收购，年底分红一目了然",
    "图书馆延长了开放时间，下班后也能坐下来读一会儿书",
    "网格员每天走访十几户人家，把听到的问题记在本子上",
    "这门微课用十分钟讲清楚了村务公开栏里该看哪些内容",
    "调解员先请双方把话说完，再把事实和诉求分开列出来",
    "茶农第一次走进直播间，向网友介绍采摘和炒制的过程",
    "防汛期间，干部群众轮班值守在堤坝和山塘边上",
    "新修的山路通到了家门口，收购竹编的货车可以直接上山",
    "学校的家长课堂请来心理老师，讲孩子的手机怎么管",
    "热线中心把常见问题整理成知识库，接线员当场就能答复",
];
const EN: &[&str] = &[
    "The reading room now stays open until ten in the evening",
    "Volunteers keep a shared rota so that no one works every weekend",
    "Every loan is written in a simple paper log at the desk",
    "The lesson takes about ten minutes and ends with three questions",
    "Residents can check their own records on the screen in the hall",
    "The new road cut the trip to the market from an hour to fifteen minutes",
];
const TAGS: [&str; 35] = [
    "乡村振兴",
    "志愿服务",
    "社区治理",
    "文化服务",
    "图书馆",
    "茶产业",
    "学习平台",
    "数字化",
    "安全提示",
    "便民服务",
    "微电影",
    "青年",
    "家庭教育",
    "应急管理",
    "矛盾调解",
    "村务公开",
    "写作",
    "媒体融合",
    "地方历史",
    "交通",
    "教育",
    "卫生健康",
    "养老",
    "就业",
    "环境保护",
    "农业",
    "旅游",
    "体育",
    "科普",
    "法治",
    "exchange",
    "media-literacy",
    "open-data",
    "accessibility",
    "rust",
];
const BOARDS: [(&str, &str, &str); 4] = [
    ("news", "要闻速递", "article"),
    ("lessons", "微课堂", "lesson"),
    ("cases", "案例故事", "case"),
    ("publications", "书刊影像", "publication"),
];
const CODE: &[(&str, &str)] = &[
    (
        "rust",
        "fn total(scores: &[u32]) -> u32 {\n    scores.iter().sum()\n}\n\nfn main() {\n    let s = [3, 5, 8];\n    println!(\"{}\", total(&s));\n}\n",
    ),
    (
        "python",
        "def total(scores):\n    return sum(scores)\n\nprint(total([3, 5, 8]))\n",
    ),
    ("yaml", "title: 通知\ndate: 2026-09-12\ntags: [便民服务]\n"),
    (
        "js",
        "const total = (xs) => xs.reduce((a, b) => a + b, 0);\nconsole.log(total([3, 5, 8]));\n",
    ),
];

/// What the corpus's code blocks look like.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Preset {
    /// One short block (4–8 lines) from a fixed set of four.
    Prose,
    /// One block of 5–60 lines (≈ 19 on average), every block different,
    /// in the same four languages: tutorials and lessons with real code.
    Code,
}

/// Identifiers, strings and comments for generated code.
const WORDS: &[&str] = &[
    "score", "total", "member", "unit", "record", "visit", "loan", "reader", "branch", "task",
    "report", "notice", "village", "ledger", "course", "lesson",
];

/// A code block of `lines` lines in `lang`, made from `rng` (every call a
/// different block): functions, loops, conditions, comments in Chinese and
/// English, strings and numbers, as tutorials write them.
pub fn code_block(lang: &str, lines: usize, rng: &mut Rng) -> String {
    let mut out = String::new();
    let mut n = 0;
    let w = |rng: &mut Rng| WORDS[rng.below(WORDS.len())];
    while n < lines {
        let (a, b) = (w(rng), w(rng));
        let k = rng.below(1000);
        let body = 1 + rng.below(6).min(lines.saturating_sub(n + 2));
        match lang {
            "rust" => {
                let _ = writeln!(
                    out,
                    "/// {a} 的 {b}：第 {k} 项\nfn {a}_{b}_{k}(items: &[u32], limit: u32) -> Option<u32> {{"
                );
                for j in 0..body {
                    let _ = match rng.below(4) {
                        0 => writeln!(
                            out,
                            "    let {a}{j} = items.iter().filter(|x| **x > {}).count() as u32;",
                            rng.below(90)
                        ),
                        1 => writeln!(
                            out,
                            "    if limit > {} {{ return Some(limit - {}); }} // {b}",
                            rng.below(500),
                            rng.below(9)
                        ),
                        2 => writeln!(
                            out,
                            "    println!(\"{b} {{}}: {{:?}}\", \"{}\", items.get({j}));",
                            rng.pick(EN)
                        ),
                        _ => writeln!(out, "    // 检查{}", &rng.pick(ZH)[..12]),
                    };
                }
                out.push_str("    None\n}\n");
                n += body + 3;
            }
            "python" => {
                let _ = writeln!(out, "def {a}_{b}_{k}(rows, limit={}):", rng.below(100));
                let _ = writeln!(out, "    \"\"\"{}\"\"\"", rng.pick(EN));
                for j in 0..body {
                    let _ = match rng.below(4) {
                        0 => writeln!(
                            out,
                            "    {a}{j} = [r[\"{b}\"] for r in rows if r.get(\"{a}\", 0) > {}]",
                            rng.below(50)
                        ),
                        1 => writeln!(
                            out,
                            "    if len(rows) > {}:  # {}",
                            rng.below(300),
                            &rng.pick(ZH)[..9]
                        ),
                        2 => writeln!(out, "    print(f\"{b}: {{limit * {}.5}}\")", rng.below(9)),
                        _ => writeln!(
                            out,
                            "    total = sum(x * {} for x in range({}))",
                            rng.below(7),
                            rng.below(40)
                        ),
                    };
                }
                out.push_str("    return limit\n");
                n += body + 3;
            }
            "yaml" => {
                let _ = writeln!(out, "{a}_{k}:");
                for j in 0..body {
                    let _ = match rng.below(3) {
                        0 => writeln!(out, "  {b}{j}: {}", rng.below(10_000)),
                        1 => writeln!(
                            out,
                            "  - {{ name: \"{}\", count: {} }}",
                            &rng.pick(ZH)[..9],
                            rng.below(99)
                        ),
                        _ => writeln!(out, "  # {}", rng.pick(EN)),
                    };
                }
                n += body + 1;
            }
            _ => {
                let _ = writeln!(
                    out,
                    "// {}\nexport function {a}{b}{k}(rows, limit = {}) {{",
                    &rng.pick(ZH)[..12],
                    rng.below(100)
                );
                for j in 0..body {
                    let _ = match rng.below(4) {
                        0 => writeln!(
                            out,
                            "  const {a}{j} = rows.filter((r) => r.{b} > {}).map((r) => r.{a});",
                            rng.below(80)
                        ),
                        1 => writeln!(
                            out,
                            "  if (limit > {}) {{ return `{b}: ${{limit}}`; }}",
                            rng.below(400)
                        ),
                        2 => writeln!(
                            out,
                            "  console.log(\"{}\", {a}{j}?.length ?? 0);",
                            rng.pick(EN)
                        ),
                        _ => writeln!(
                            out,
                            "  let {b}{j} = await fetch(\"/api/{a}/{}\");",
                            rng.below(999)
                        ),
                    };
                }
                out.push_str("  return null;\n}\n");
                n += body + 3;
            }
        }
    }
    out
}

/// The board and file stem of page `i`.
pub fn page_key(i: usize) -> (usize, String) {
    (i % 4, format!("p{i:06}"))
}

fn paragraph(rng: &mut Rng, out: &mut String) {
    let english = rng.below(5) == 0;
    let sentences = 3 + rng.below(3);
    for s in 0..sentences {
        if english {
            if s > 0 {
                out.push(' ');
            }
            out.push_str(rng.pick(EN));
            out.push('.');
        } else {
            out.push_str(rng.pick(ZH));
            out.push_str(if s + 1 == sentences { "。" } else { "，" });
            if rng.below(4) == 0 {
                out.push_str(" Rust ");
            }
        }
    }
    out.push_str("\n\n");
}

/// One page's Markdown with front matter.
pub fn page(i: usize, n: usize, rng: &mut Rng) -> String {
    page_with(i, n, rng, Preset::Prose)
}

/// [`page`] with the code blocks of `preset`. The main generator draws the
/// same numbers in both presets, so the two corpora differ only in code.
pub fn page_with(i: usize, n: usize, rng: &mut Rng, preset: Preset) -> String {
    let (board, stem) = page_key(i);
    let kind = BOARDS[board].2;
    let mut s = String::with_capacity(7000);
    let day = 1 + (i * 7) % 28;
    let month = 1 + (i / 28) % 12;
    let _ = write!(
        s,
        "---\ntitle: 第 {i} 篇：{}\ndate: 2025-{month:02}-{day:02}T{:02}:00:00+08:00\n",
        &rng.pick(ZH)[..24],
        i % 24
    );
    let t1 = TAGS[rng.below(TAGS.len())];
    let t2 = TAGS[rng.below(TAGS.len())];
    let _ = writeln!(s, "tags: [{t1}, {t2}]");
    match kind {
        "lesson" => {
            let series = i / 40;
            let _ = write!(
                s,
                "series: 系列{series}\norder: {}\nduration: {}\nlevel: 入门\nobjectives: [读懂要点, 学会应用]\n",
                i / 4 % 10 + 1,
                5 + i % 10
            );
        }
        "case" => {
            let _ = write!(
                s,
                "subject: 社区居民\nlocation: 第{}社区\nperiod: 2025 年\noutcome: 解决问题 {} 件\n",
                i % 50,
                i % 90
            );
        }
        "publication" => {
            let _ = write!(
                s,
                "cover: /covers/c{}.svg\ncover_alt: 封面\nformat: book\npublisher: 县融媒体中心\npublished: 2025\npages: {}\n",
                i % 20,
                40 + i % 200
            );
        }
        _ => {}
    }
    s.push_str("---\n");
    paragraph(rng, &mut s);
    let sections = 6;
    for sec in 0..sections {
        let _ = writeln!(s, "## 第{}部分 {}\n", sec + 1, &rng.pick(ZH)[..12]);
        paragraph(rng, &mut s);
        paragraph(rng, &mut s);
        paragraph(rng, &mut s);
        if sec == 1 {
            s.push_str("| 项目 | 数量 | 说明 |\n|------|------|------|\n");
            for r in 0..4 {
                let _ = writeln!(
                    s,
                    "| 指标{r} | {} | {} |",
                    rng.below(1000),
                    &rng.pick(ZH)[..15]
                );
            }
            s.push('\n');
        }
        if sec == 2 && i % 10 < 3 {
            let (lang, code) = CODE[rng.below(CODE.len())];
            match preset {
                Preset::Prose => {
                    let _ = write!(s, "```{lang}\n{code}```\n\n");
                }
                Preset::Code => {
                    let mut own = Rng::new(0xC0DE ^ (i as u64).wrapping_mul(0x9E37_79B9));
                    // 5–60 lines, most short: 19 on average.
                    let lines = 5 + own.below(52) * own.below(56) / 56;
                    let block = code_block(lang, lines, &mut own);
                    let _ = write!(s, "```{lang}\n{block}```\n\n");
                }
            }
        }
        if sec == 2 && n > 1 {
            let j = (i + 1 + rng.below(n - 1)) % n;
            let (b, target) = page_key(j);
            let _ = write!(
                s,
                "相关阅读：[另一篇](@/{}/{target}.md)[^1]。\n\n",
                BOARDS[b].0
            );
        }
    }
    s.push_str("[^1]: 数据截至 2025 年底。\n");
    let _ = stem;
    s
}

/// Writes a complete herald site of `n` pages into `dir`.
pub fn write_site(dir: &Path, n: usize, seed: u64, theme_from: &Path) -> std::io::Result<()> {
    write_site_preset(dir, n, seed, theme_from, Preset::Prose)
}

/// [`write_site`] with the code blocks of `preset`.
pub fn write_site_preset(
    dir: &Path,
    n: usize,
    seed: u64,
    theme_from: &Path,
    preset: Preset,
) -> std::io::Result<()> {
    let mut yaml = String::from(
        "title: 生成的测试站点\ndescription: benchmark corpus\nbase_url: https://example.org/portal/\nlanguage: zh-CN\nboards:\n",
    );
    for (key, title, kind) in BOARDS {
        let _ = writeln!(
            yaml,
            "  - {{ key: {key}, title: {title}, kind: {kind}, paginate: 10, sort: date }}"
        );
    }
    yaml.push_str("taxonomies: [{ name: tags, paginate: 10 }]\n");
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("site.yaml"), yaml)?;
    for (key, _, _) in BOARDS {
        std::fs::create_dir_all(dir.join("content").join(key))?;
    }
    write_covers(dir)?;
    write_pages(dir, n, seed, preset, |text| text)?;
    copy_dir(
        &theme_from.join("themes/default"),
        &dir.join("themes/default"),
    )
}

/// Writes the same `n` pages (same seed) as a minimal equivalent Hugo
/// site: the same four sections paginated by 10, tags paginated by 10, a
/// home page with the latest 5 of each section, Hugo's built-in sitemap and
/// feeds, code highlighted by Hugo's default (Chroma). Internal `@/` links
/// become plain site paths. A page's article is marked `data-pagefind-body`,
/// so Pagefind (run after Hugo for search) indexes the pages, as herald's
/// search does, and not the lists.
pub fn write_hugo_site(dir: &Path, n: usize, seed: u64) -> std::io::Result<()> {
    write_hugo_site_preset(dir, n, seed, Preset::Prose)
}

/// [`write_hugo_site`] with the code blocks of `preset`.
pub fn write_hugo_site_preset(
    dir: &Path,
    n: usize,
    seed: u64,
    preset: Preset,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join("hugo.toml"),
        "baseURL = 'https://example.org/portal/'\nlanguageCode = 'zh-CN'\ntitle = '生成的测试站点'\nhasCJKLanguage = true\n[pagination]\n  pagerSize = 10\npaginate = 10\n[taxonomies]\n  tag = 'tags'\n",
    )?;
    let layouts = [
        (
            "_default/baseof.html",
            "<!DOCTYPE html>\n<html lang=\"{{ .Site.LanguageCode }}\">\n<head><meta charset=\"utf-8\"><title>{{ .Title }} · {{ .Site.Title }}</title></head>\n<body>\n<nav>{{ range .Site.Sections }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ end }}</nav>\n<main>{{ block \"main\" . }}{{ end }}</main>\n</body>\n</html>\n",
        ),
        (
            "_default/single.html",
            "{{ define \"main\" }}<article data-pagefind-body><h1>{{ .Title }}</h1><time>{{ .Date.Format \"2006-01-02\" }}</time>\n{{ .Content }}\n<ul>{{ range .Params.tags }}<li><a href=\"{{ \"tags/\" | relURL }}{{ . | urlize }}/\">{{ . }}</a></li>{{ end }}</ul>\n{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</article>{{ end }}\n",
        ),
        (
            "_default/list.html",
            "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ $p := .Paginate .Pages 10 }}{{ range $p.Pages }}<article><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}{{ template \"_internal/pagination.html\" . }}{{ end }}\n",
        ),
        (
            "_default/terms.html",
            "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}\n",
        ),
        (
            "index.html",
            "{{ define \"main\" }}{{ range .Site.Sections }}<section><h2>{{ .Title }}</h2>{{ range first 5 .Pages }}<article><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a><p>{{ .Summary }}</p></article>{{ end }}</section>{{ end }}{{ end }}\n",
        ),
    ];
    for (name, text) in layouts {
        let path = dir.join("layouts").join(name);
        std::fs::create_dir_all(path.parent().unwrap_or(dir))?;
        std::fs::write(path, text)?;
    }
    for (key, title, _) in BOARDS {
        std::fs::create_dir_all(dir.join("content").join(key))?;
        std::fs::write(
            dir.join("content").join(key).join("_index.md"),
            format!("---\ntitle: {title}\n---\n"),
        )?;
    }
    write_covers(dir)?;
    write_pages(dir, n, seed, preset, |text| {
        text.replace("](@/", "](/portal/").replace(".md)", "/)")
    })
}

/// The 20 SVG covers publications point to, under `static/covers/`.
fn write_covers(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("static/covers"))?;
    for c in 0..20 {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 400\"><rect width=\"300\" height=\"400\" fill=\"#{:06x}\"/></svg>\n",
            (c * 0x0a1b2c) & 0xffffff
        );
        std::fs::write(dir.join(format!("static/covers/c{c}.svg")), svg)?;
    }
    Ok(())
}

/// Pages `0..n` (from `seed`) under `content/BOARD/`, each through `edit`.
fn write_pages(
    dir: &Path,
    n: usize,
    seed: u64,
    preset: Preset,
    edit: impl Fn(String) -> String,
) -> std::io::Result<()> {
    let mut rng = Rng::new(seed);
    for i in 0..n {
        let (board, stem) = page_key(i);
        std::fs::write(
            dir.join("content")
                .join(BOARDS[board].0)
                .join(format!("{stem}.md")),
            edit(page_with(i, n, &mut rng, preset)),
        )?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
