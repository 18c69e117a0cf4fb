//! `herald init` (a new working site) and `herald new` (a new page with the
//! front matter of its board's kind).

use crate::config::{Config, Kind};
use crate::error::{Error, Result, did_you_mean};
use crate::kinds::{FieldType, KindDef};
use crate::msg;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

const SITE_YAML: &str =
    "# Site settings: see https://example.org/herald/docs/configuration.md (docs/configuration.md)
title: 我的学习平台
description: 新闻、微课、案例与出版物
base_url: https://example.org/
language: zh-CN
timezone: Asia/Shanghai
theme: default
boards:
  - { key: news,         title: 要闻速递, kind: article,     paginate: 10 }
  - { key: lessons,      title: 微课堂,   kind: lesson }
  - { key: cases,        title: 案例故事, kind: case }
  - { key: publications, title: 书刊画册, kind: publication }
  - { key: guides,       title: 办事指南, kind: page }
taxonomies: [tags]
";

const COVER_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 400\" width=\"300\" height=\"400\"><rect width=\"300\" height=\"400\" fill=\"#b3261e\"/><text x=\"150\" y=\"200\" font-size=\"36\" text-anchor=\"middle\" fill=\"#fff\" font-family=\"sans-serif\">手册</text></svg>\n";

fn sample_pages(today: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "content/_index.md",
            "---\ntitle: 我的学习平台\n---\n欢迎！这是首页的介绍，写在 `content/_index.md` 里。\n"
                .into(),
        ),
        (
            "content/about.md",
            "---\ntitle: 关于本站\n---\n介绍一下本站由谁主办、怎样联系编辑部。\n".into(),
        ),
        (
            "content/news/welcome.md",
            format!(
                "---\ntitle: 平台上线\ndate: {today}\ntags: [通知]\n---\n平台今天上线了。用 `herald new news \"标题\"` 写下一篇。\n\n<!-- more -->\n\n## 下一步\n\n修改 `site.yaml` 设置栏目，修改 `content/` 里的页面。\n"
            ),
        ),
        (
            "content/lessons/first-lesson.md",
            format!(
                "---\ntitle: 第一课：怎样使用本平台\ndate: {today}\nseries: 入门\norder: 1\nduration: 5\nlevel: 入门\nobjectives: [找到四个栏目, 学会搜索]\n---\n## 栏目\n\n页面顶部是各个栏目的入口。\n\n{{% quiz(question=\"本平台有几个栏目？\", options=[\"两个\", \"四个\"], answer=2) %}}\n顶部导航里有四个栏目。\n{{% end %}}\n"
            ),
        ),
        (
            "content/cases/first-case.md",
            format!(
                "---\ntitle: 一个案例\ndate: {today}\nsubject: 社区居民\nlocation: 老街社区\nperiod: 2026 年\noutcome: 问题解决\n---\n写清楚起因、做法和成效。\n"
            ),
        ),
        (
            "content/publications/handbook/index.md",
            format!(
                "---\ntitle: 平台使用手册\ndate: {today}\ncover: cover.svg\ncover_alt: 手册封面\nformat: brochure\npublisher: 编辑部\npublished: {}\n---\n一本介绍平台用法的小册子。\n",
                &today[..4]
            ),
        ),
        ("content/publications/handbook/cover.svg", COVER_SVG.into()),
        (
            "content/guides/ban-shi-liu-cheng.md",
            "---\ntitle: 办事流程\nweight: 10\nsummary: 常办事项一页说清：带什么、去哪里、多久办好。\n---\n## 要带的材料\n\n- 居民身份证\n\n## 在哪里办\n\n政务服务中心一楼综合窗口。\n".into(),
        ),
        (
            ".gitignore",
            "/public\n/.public.herald-*\n/.herald-cache\n".into(),
        ),
    ]
}

/// How `herald init` makes a site.
#[derive(Debug, Clone, Copy, Default)]
pub struct InitOptions {
    /// Add to a folder that is not empty (existing files are kept).
    pub force: bool,
    /// Copy the built-in theme into `themes/default/` to edit it (without
    /// it, the site uses the theme built into herald, which receives its
    /// fixes with each herald).
    pub with_theme: bool,
}

/// Creates a working site in `dir`. Refuses a non-empty folder unless
/// `force`.
pub fn init(dir: &Path, opts: InitOptions) -> Result<Vec<PathBuf>> {
    let force = opts.force;
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Refused(msg!("init-a-file", dir = dir.display())));
    }
    let non_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if non_empty && !force {
        return Err(Error::Refused(msg!("init-not-empty", dir = dir.display())));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(msg!("cannot-write-in", path = dir.display()), e))?;
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let mut plan: Vec<(PathBuf, Cow<[u8]>)> = vec![(
        dir.join(crate::config::CONFIG_FILE),
        SITE_YAML.as_bytes().into(),
    )];
    for (rel, text) in sample_pages(&today) {
        plan.push((dir.join(rel), text.into_bytes().into()));
    }
    let theme = dir.join("themes/default");
    if opts.with_theme {
        plan.extend(
            crate::theme::built_in_files()
                .into_iter()
                .filter_map(|f| match f.origin {
                    crate::theme::Origin::Embedded(bytes) => {
                        Some((theme.join(f.rel), bytes.into()))
                    }
                    crate::theme::Origin::Disk(_) => None,
                }),
        );
    }
    // `init --force` only adds what is missing (an edited file is the
    // user's), and never writes through a link out of the site: all is
    // checked before anything is written.
    plan.retain(|(path, _)| path.symlink_metadata().is_err());
    let real = crate::confine::real_root(dir);
    for (path, _) in &plan {
        if let Err(e) = crate::confine::check_new(&real, path) {
            return Err(Error::Refused(msg!(
                "will-not-write",
                path = path.display(),
                why = e.message()
            )));
        }
    }
    let mut written = Vec::new();
    for (path, contents) in plan {
        let io = |e: std::io::Error| Error::io(msg!("cannot-write-file", path = path.display()), e);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, contents).map_err(io)?;
        if !path.starts_with(&theme) {
            written.push(path);
        }
    }
    if opts.with_theme {
        written.push(theme);
    }
    Ok(written)
}

/// A plain cover with the title on it, escaped for SVG.
fn placeholder_cover(title: &str) -> String {
    let shown: String = title.chars().take(12).collect();
    let text = shown
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 400\" width=\"300\" height=\"400\"><rect width=\"300\" height=\"400\" fill=\"#5b6b7a\"/><text x=\"150\" y=\"200\" font-size=\"24\" text-anchor=\"middle\" fill=\"#fff\" font-family=\"sans-serif\">{text}</text></svg>\n"
    )
}

/// The front matter `herald new` writes for a kind: the built-in kind's
/// keys, then the fields the site's kind adds (required ones with an
/// example value, the others commented out).
fn front_matter(config: &Config, kind: &KindDef, title: &str, today: &str) -> String {
    let title = title.replace('"', "\\\"");
    let common = format!("---\ntitle: \"{title}\"\ndate: {today}\ntags: []\n");
    let specific = match kind.base {
        Kind::Article => "authors: []\n# summary: 一两句话的摘要（不写则取正文开头）\n",
        Kind::Lesson => {
            "duration: 10        # 分钟\nlevel: 入门\nobjectives: []     # 学习目标，如 [读懂要点, 学会应用]\n# series: 系列名称   # 系列课程的名称\n# order: 1          # 在系列中的顺序\n"
        }
        Kind::Case => {
            "subject: \"\"         # 对象\nlocation: \"\"        # 地点\nperiod: \"\"          # 时间\noutcome: \"\"         # 成效\n"
        }
        Kind::Publication => {
            "cover: cover.svg     # 必填：本页旁边的封面图（先放了一张占位图，换成真的）\ncover_alt: \"封面\"\nformat: book        # book, brochure, comic, periodical, film, poster, report, other\npublisher: \"\"\n# published: 2026\n# pages: 100\n# file: download.pdf\n"
        }
        Kind::Page => "",
    };
    let base = config.kinds.of(kind.base);
    let mut own = String::new();
    for f in kind.fields.iter().filter(|f| base.field(&f.name).is_none()) {
        let value = match (&f.default, &f.ty) {
            (_, FieldType::Image) if f.required => format!("{}.svg", f.name),
            (Some(d), _) => serde_json::to_string(d).unwrap_or_default(),
            (None, ty) => ty.example(),
        };
        let mut about = vec![
            f.label.clone().unwrap_or_else(|| f.name.clone()),
            f.ty.name().to_string(),
        ];
        if let FieldType::Choice(values) = &f.ty {
            about.push(values.join(", "));
        }
        if f.required {
            about.push("必填".into());
            own.push_str(&format!("{}: {value}   # {}\n", f.name, about.join("；")));
        } else {
            own.push_str(&format!("# {}: {value}   # {}\n", f.name, about.join("；")));
        }
    }
    format!("{common}{specific}{own}---\n\n")
}

/// The required image fields of `kind` that [`front_matter`] fills with a
/// placeholder beside the page.
fn placeholder_images(kind: &KindDef) -> Vec<&str> {
    (kind.fields.iter())
        .filter(|f| f.required && f.ty == FieldType::Image)
        .map(|f| f.name.as_str())
        .collect()
}

/// Creates `content/BOARD/<slug>.md` (a bundle `<slug>/index.md` with a
/// placeholder cover for a publication; `content/<slug>.md` for BOARD
/// `page`, a page outside the boards); returns its path.
pub fn new_page(root: &Path, board: &str, title: &str) -> Result<PathBuf> {
    let config = Config::load(root).map_err(Error::Site)?;
    let (dir, kind) = if board == "page" {
        (String::new(), config.kinds.of(Kind::Page))
    } else {
        let Some(b) = config.board(board) else {
            let keys: Vec<&str> = config.boards.iter().map(|b| b.key.as_str()).collect();
            let all = keys.join(", ");
            return Err(Error::Refused(
                match did_you_mean(board, keys.iter().copied()) {
                    Some(near) => msg!("no-such-board-did-you-mean", board, near, all),
                    None => msg!("no-such-board", board, all),
                },
            ));
        };
        (b.key.clone(), config.kind_of(Some(&b.key)))
    };
    let images = placeholder_images(kind);
    if title.chars().any(char::is_control) {
        return Err(Error::Refused(msg!("title-control")));
    }
    if title.trim().is_empty() {
        return Err(Error::Refused(msg!("title-empty")));
    }
    let mut slug = crate::slug::slug(config.slugs, title);
    if slug.is_empty() {
        slug = "page".into();
    }
    let folder = root.join(crate::content::CONTENT_DIR).join(&dir);
    // Either form would be published at the same URL.
    let single = folder.join(format!("{slug}.md"));
    let bundle = folder.join(&slug).join("index.md");
    if let Some(existing) = [&single, &bundle].into_iter().find(|p| p.exists()) {
        return Err(Error::Refused(msg!(
            "page-exists",
            path = existing.display()
        )));
    }
    let path = if kind.base == Kind::Publication || !images.is_empty() {
        bundle
    } else {
        single
    };
    if let Err(e) = crate::confine::check_new(&crate::confine::real_root(root), &path) {
        return Err(Error::Refused(msg!(
            "will-not-write",
            path = path.display(),
            why = e.message()
        )));
    }
    // Today where the site is: a page made at 07:00 in Beijing is not
    // dated yesterday (and hidden as future until 08:00).
    let now = chrono::Utc::now();
    let today = match config.timezone {
        Some(tz) => now.with_timezone(&tz).format("%Y-%m-%d").to_string(),
        None => now
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d")
            .to_string(),
    };
    let parent = path.parent().expect("has a parent");
    std::fs::create_dir_all(parent)
        .map_err(|e| Error::io(msg!("cannot-create-board-folder"), e))?;
    let covers = (kind.base == Kind::Publication).then_some("cover");
    for name in covers.into_iter().chain(images) {
        // A placeholder, so the page builds at once; replace it with the
        // real cover (any image, named in `cover:`).
        // A cover already there (or a link by that name) is kept.
        let cover = parent.join(format!("{name}.svg"));
        match write_new(&cover, placeholder_cover(title).as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(Error::io(
                    msg!("cannot-write-file", path = cover.display()),
                    e,
                ));
            }
            _ => {}
        }
    }
    write_new(&path, front_matter(&config, kind, title, &today).as_bytes())
        .map_err(|e| Error::io(msg!("cannot-write-file", path = path.display()), e))?;
    Ok(path)
}

/// Creates `path` with `bytes`, failing if anything is there already: a
/// link by that name is neither followed nor replaced.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}
