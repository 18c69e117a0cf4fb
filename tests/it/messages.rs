//! herald speaks the editor's language: messages of a zh-CN site in
//! Chinese, of an English site in English, `HERALD_LANG` and `--lang`
//! choosing otherwise; the places (`file:line:column`) and the `error:`
//! label read the same in both, so tools parse either.

use crate::common::*;
use std::process::Output;

/// `herald ARGS --root DIR` with `HERALD_LANG` set to `env` (or unset).
fn herald_in(f: &Fixture, env: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = herald_cmd();
    cmd.env_remove("HERALD_LANG");
    if let Some(lang) = env {
        cmd.env("HERALD_LANG", lang);
    }
    cmd.args(args).arg("--root").arg(f.path());
    cmd.output().expect("run herald")
}

/// The fixture (a zh-CN site) with a key of the wrong type, an unknown key
/// and a broken link.
fn broken_site() -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/news/a.md",
        "---\ntitle: 第一篇\ntags: 乡村振兴\nsumary: 错拼\n---\n见 [别处](@/news/none.md)。\n",
    );
    f
}

#[test]
fn a_chinese_site_hears_its_errors_in_chinese_at_the_same_places() {
    let f = broken_site();
    let zh = herald_in(&f, None, &["build"]);
    assert_eq!(zh.status.code(), Some(1));
    let zh = stderr(&zh);
    for line in [
        "error: content/news/a.md:3:7: `tags` 应当是文字列表，这里是文字（“乡村振兴”）",
        "  提示：例如：tags: [first, second]",
        "error: content/news/a.md:4:1: 未知的键 `sumary`——是不是 `summary`？",
        "  提示：是不是 `summary`？或者：在 site.yaml 的 kinds: 中把 `sumary` 声明为自定义类型的字段（见 docs/kinds.md），或写在 `extra:` 下（extra: { sumary: … }），模板中用 page.extra.sumary 读取",
        "构建失败：2 个错误；上一次的输出原样保留",
    ] {
        assert!(zh.contains(line), "missing {line:?} in:\n{zh}");
    }

    // The same build in English: `--lang`, or HERALD_LANG.
    let en = stderr(&herald_in(&f, None, &["build", "--lang", "en"]));
    for line in [
        "error: content/news/a.md:3:7: `tags` should be a list of texts, found a text (\"乡村振兴\")",
        "  hint: for example: tags: [first, second]",
        "error: content/news/a.md:4:1: unknown key `sumary` — did you mean `summary`?",
        "build failed: 2 error(s); the previous output was left as it was",
    ] {
        assert!(en.contains(line), "missing {line:?} in:\n{en}");
    }
    assert_eq!(en, stderr(&herald_in(&f, Some("en"), &["build"])));
    // The flag wins over the environment.
    assert_eq!(
        zh,
        stderr(&herald_in(&f, Some("en"), &["build", "--lang", "zh"]))
    );

    // Tools read the places the same way in both languages.
    let places = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix("error: "))
            .map(|l| l.split(": ").next().unwrap().to_string())
            .collect()
    };
    assert_eq!(places(&zh), places(&en));
    assert_eq!(
        places(&zh),
        ["content/news/a.md:3:7", "content/news/a.md:4:1"]
    );
}

#[test]
fn summaries_of_build_check_and_init_follow_the_language() {
    let f = Fixture::new();
    f.write("content/news/d.md", "---\ntitle: 草稿\ndraft: true\n---\n");
    let built = herald_in(&f, None, &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let out = stdout(&built);
    assert!(out.starts_with("已构建 "), "{out}");
    assert!(out.contains(" 个页面、"), "{out}");
    assert!(
        out.contains("（跳过了 1 篇草稿——加 --drafts 可包含它们）"),
        "{out}"
    );
    let en = stdout(&herald_in(&f, None, &["build", "--lang", "en"]));
    assert!(en.starts_with("Built "), "{en}");
    assert!(
        en.contains(" (skipped 1 draft — use --drafts to include them)"),
        "{en}"
    );
    f.remove("content/news/d.md");

    // A broken link found by check, and its summary.
    f.write(
        "content/news/a.md",
        "---\ntitle: 第一篇\n---\n见 [别处](@/news/none.md)。\n",
    );
    let checked = herald_in(&f, None, &["check"]);
    let (out, err) = (stdout(&checked), stderr(&checked));
    assert!(
        err.contains(
            "error: content/news/a.md:4: 失效的站内链接 `@/news/none.md`：没有 content/news/none.md"
        ),
        "{err}"
    );
    assert!(
        out.contains("（未检查；加 --external 检查）：1 个问题"),
        "{out}"
    );

    // A new site is zh-CN: its next steps in Chinese, or English if asked.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("portal");
    let mut cmd = herald_cmd();
    cmd.env_remove("HERALD_LANG").arg("init").arg(&site);
    let init = stdout(&cmd.output().unwrap());
    assert!(
        init.contains("已在 ") && init.contains("新建站点。接下来："),
        "{init}"
    );
    assert!(
        init.contains("herald build        # 把站点写入 public/"),
        "{init}"
    );
    let other = dir.path().join("other");
    let mut cmd = herald_cmd();
    cmd.args(["init", "--lang", "en"]).arg(&other);
    let init = stdout(&cmd.output().unwrap());
    assert!(init.contains("Created a new site in"), "{init}");
}

#[test]
fn yaml_mistakes_are_explained_in_chinese() {
    let f = Fixture::new();
    f.write(
        "content/news/a.md",
        "---\ntitle: ok\nextra:\n\tx: 1\n---\nx\n",
    );
    let err = stderr(&herald_in(&f, None, &["build"]));
    assert!(err.contains("error: content/news/a.md:4"), "{err}");
    assert!(err.contains("YAML 格式有误："), "{err}");
    assert!(err.contains("提示：YAML 要用空格缩进，不能用 Tab"), "{err}");
}

#[test]
fn an_english_site_hears_english() {
    let f = broken_site();
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write(
        "site.yaml",
        &yaml.replace("language: zh-CN", "language: en"),
    );
    let err = stderr(&herald_in(&f, None, &["build"]));
    assert!(err.contains("unknown key `sumary`"), "{err}");
    assert!(err.contains("build failed: 2 error(s)"), "{err}");
    // HERALD_LANG asks for Chinese all the same.
    let err = stderr(&herald_in(&f, Some("zh-CN"), &["build"]));
    assert!(err.contains("未知的键 `sumary`"), "{err}");
}

#[test]
fn refusals_are_in_the_sites_language_with_exit_code_2() {
    let f = Fixture::new();
    let out = herald_in(&f, None, &["new", "newz", "标题"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("error: site.yaml 中没有栏目 `newz`——是不是 `news`？"),
        "{err}"
    );
    let inside = f.path().join("content/out");
    let out = herald_in(&f, None, &["build", "--output", inside.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("用作输出文件夹：它在站点的 content/ 文件夹里"),
        "{err}"
    );
    let err = stderr(&herald_in(
        &f,
        Some("en"),
        &["build", "--output", inside.to_str().unwrap()],
    ));
    assert!(
        err.contains("as the output folder: it is inside the site's content/ folder"),
        "{err}"
    );
    // A language herald does not speak is bad usage.
    let out = herald_in(&f, None, &["build", "--lang", "fr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("herald speaks zh (Chinese) and en (English)"));
}
