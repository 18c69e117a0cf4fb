use super::*;
use crate::schema::MapReader;
use crate::yaml::parse;

fn declared(yaml: &str) -> (Kinds, Vec<String>) {
    let node = parse(yaml, 0).unwrap();
    let (kinds, diags) = Kinds::declared("site.yaml", Some(&node));
    let shown = diags
        .iter()
        .map(|d| {
            format!(
                "{}: {} ({})",
                d.line.unwrap_or(0),
                d.message,
                d.hint.as_ref().map(|h| h.to_string()).unwrap_or_default()
            )
        })
        .collect();
    (kinds, shown)
}

fn read(kinds: &Kinds, kind: &str, yaml: &str) -> (Fields, Vec<String>) {
    let node = parse(yaml, 1).unwrap();
    let def = kinds.get(kind).unwrap();
    let mut r = MapReader::new("a.md", &node, "front matter");
    let fields = read_fields(&mut r, def, 1);
    let shown = r
        .diags
        .iter()
        .map(|d| {
            format!(
                "{}:{}: {}",
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
                d.message
            )
        })
        .collect();
    (fields, shown)
}

const FILM: &str = "film:
  fields:
    duration: {type: minutes, required: true, label: 片长}
    director: text
    rating: {type: choice, values: [all, teen], default: all}
    year: {type: integer, min: 1900, max: 2100}
    score: {type: number, min: 0, max: 10}
    shown: date
    subtitled: bool
    cast: list
    poster: image
    video: {type: file, required: true}
";

#[test]
fn builtin_kinds_are_declarations() {
    let k = Kinds::builtin();
    assert_eq!(
        k.names().collect::<Vec<_>>(),
        ["article", "lesson", "case", "publication", "page"]
    );
    let lesson = k.of(Kind::Lesson);
    assert_eq!(
        lesson.field("order").unwrap().ty,
        FieldType::Integer {
            min: Some(1),
            max: None
        }
    );
    assert!(
        matches!(&k.of(Kind::Publication).field("format").unwrap().ty, FieldType::Choice(v) if v.len() == 8)
    );
    assert!(k.of(Kind::Article).fields.is_empty());
}

#[test]
fn a_site_kind_extends_article_unless_it_says() {
    let (k, diags) = declared(&format!(
        "{FILM}course:\n  extends: lesson\n  fields:\n    level: {{type: choice, values: [入门, 进阶]}}\n"
    ));
    assert!(diags.is_empty(), "{diags:?}");
    let film = k.get("film").unwrap();
    assert_eq!(
        (film.base, film.extends.as_deref()),
        (Kind::Article, Some("article"))
    );
    let course = k.get("course").unwrap();
    assert_eq!(course.base, Kind::Lesson);
    // The lesson's fields, `level` narrowed to a choice in its place.
    assert_eq!(course.fields.len(), 6);
    assert!(matches!(
        course.field("level").unwrap().ty,
        FieldType::Choice(_)
    ));
    assert_eq!(k.chain("course"), ["course", "lesson"]);
}

#[test]
fn every_field_type_reads_its_values() {
    let (k, _) = declared(FILM);
    let (f, diags) = read(
        &k,
        "film",
        "duration: 12.5\ndirector: 王五\nyear: 2024\nscore: 8.5\nshown: 2024-05\nsubtitled: true\ncast: [甲, 乙]\nposter: p.png\nvideo: film.mp4\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(f.number("duration"), Some(12.5));
    assert_eq!(f.text("director"), Some("王五"));
    assert_eq!(f.text("rating"), Some("all"), "the default");
    assert_eq!(f.integer("year"), Some(2024));
    assert_eq!(f.text("shown"), Some("2024-05"));
    assert_eq!(f.get("subtitled"), Some(&FieldValue::Bool(true)));
    assert_eq!(f.list("cast"), ["甲", "乙"]);
    let paths: Vec<_> = f.paths().map(|(f, p)| (f.name.as_str(), p, f.at)).collect();
    assert_eq!(
        paths,
        [("poster", "p.png", (9, 9)), ("video", "film.mp4", (10, 8))]
    );
}

#[test]
fn every_wrong_value_is_reported_with_its_place() {
    let (k, _) = declared(FILM);
    let (_, diags) = read(
        &k,
        "film",
        "duration: -1\ndirector: [a]\nrating: tean\nyear: 1800\nscore: 11\nshown: soon\nsubtitled: yes please\ncast: [a, [b]]\nposter: p.pdf\n",
    );
    let all = diags.join("\n");
    for expected in [
        "2:11: `duration`: must be a positive number of minutes, found -1",
        "3:11: `director` should be a text",
        "4:9: `rating`: unknown rating `tean`",
        "5:7: `year`: must be at least 1900, found 1800",
        "6:8: `score`: must be at most 10, found 11",
        "7:8: `shown` should be a year or a date",
        "8:12: `subtitled` should be true or false",
        "9:11: `cast` should be a list of texts",
        "10:9: `poster`: `p.pdf` is not an image",
        "1:0: missing required field `video` of kind film",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in\n{all}");
    }
    assert_eq!(diags.len(), 10, "{all}");
}

#[test]
fn declarations_are_checked() {
    let (_, diags) = declared(
        "lesson: {}\nBad: {}\nfilm:\n  extends: artcle\n  fields:\n    title: text\n    dur: minute\n    kind_of: {type: choice}\n    n: {type: text, min: 1}\n    m: {type: integer, required: true, default: 2}\n    o: {type: bool, default: maybe}\nloop1: {extends: loop2}\nloop2: {extends: loop1}\nnarrow:\n  extends: lesson\n  fields:\n    order: text\n",
    );
    let all = diags.join("\n");
    for expected in [
        "1: `lesson` is a built-in kind",
        "2: `Bad` cannot be the name of a kind",
        "6: `title` cannot be the name of a field",
        "7: unknown field type `minute` (did you mean `minutes`?",
        "8: field `kind_of` is a choice and needs its values",
        "9: `min`: only number and integer fields have bounds",
        "10: field `m` is required and has a default",
        "11: `o` should be true or false",
        "4: kind `film` extends `artcle`, which is not a kind (did you mean `article`?)",
        "kind `loop1` extends `loop2`, and these kinds extend each other in a circle",
        "field `order` of kind lesson has type integer, and a kind that extends it keeps that type",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in\n{all}");
    }
}
