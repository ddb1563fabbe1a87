//! JSON: the [`Grade`] model as is, pretty-printed.
//!
//! The field names are those of [`crate::pipeline::grade`], so this format is as stable
//! as the model. Strings are JSON-escaped, so every line of the output is
//! structure; a consumer parsing it gets back exactly the engine's result.

use crate::pipeline::grade::Grade;

/// Renders `grade` as pretty JSON with a trailing newline.
pub fn render(grade: &Grade) -> String {
    // A Grade holds only strings, numbers, booleans, options and lists, and
    // serde_json writes a non-finite float as `null`: serializing cannot fail.
    let mut out = serde_json::to_string_pretty(grade).expect("a Grade always serializes to JSON");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::fixture;

    #[test]
    fn json_round_trips_to_the_same_grade() {
        let g = fixture::grade();
        let out = render(&g);
        assert!(out.ends_with("}\n"), "trailing newline");
        let back: Grade = serde_json::from_str(&out).unwrap();
        assert_eq!(back, g);
    }

    #[test]
    fn json_uses_the_model_field_names() {
        let out = render(&fixture::grade());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["exercises"][1]["status"], "timed_out");
        assert_eq!(v["exercises"][0]["tests"][1]["location"]["line"], 12);
        assert_eq!(v["objectives"][1]["score"], 10.0);
        assert_eq!(v["score"], 20.0);
    }

    #[test]
    fn json_lists_review_flags_only_when_there_are_some() {
        let v: serde_json::Value =
            serde_json::from_str(&render(&fixture::reviewed_grade())).unwrap();
        let flag = &v["exercises"][0]["review"][0];
        assert_eq!(flag["file"], "exercises/join_words/src/lib.rs");
        assert_eq!(flag["line"], 1);
        assert_eq!(flag["construct"], "include!");
        assert_eq!(flag["why"], "reads a file when the crate is compiled");
        let plain: serde_json::Value = serde_json::from_str(&render(&fixture::grade())).unwrap();
        assert!(plain["exercises"][0].get("review").is_none());
    }

    #[test]
    fn json_says_whether_it_is_a_grade_of_record() {
        let v: serde_json::Value = serde_json::from_str(&render(&fixture::grade())).unwrap();
        assert_eq!(
            v["provenance"],
            serde_json::json!({"mode": "feedback", "sandbox": "none", "toolchain": ""})
        );
        let v: serde_json::Value = serde_json::from_str(&render(&fixture::record_grade())).unwrap();
        assert_eq!(
            v["provenance"],
            serde_json::json!({"mode": "record", "sandbox": "bwrap", "toolchain": "rustc 1.89.0"})
        );
    }

    #[test]
    fn json_without_provenance_reads_as_feedback() {
        let mut v: serde_json::Value =
            serde_json::from_str(&render(&fixture::record_grade())).unwrap();
        v.as_object_mut().unwrap().remove("provenance");
        let g: Grade = serde_json::from_value(v).unwrap();
        assert_eq!(g.provenance, crate::pipeline::grade::Provenance::default());
    }
}
