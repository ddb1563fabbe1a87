//! `memgrade gradescope-package`: the Gradescope autograder zip for this
//! course, checked entry by entry and run as Gradescope would run it (in a
//! directory laid out like `/autograder`, with a prebuilt memgrade on PATH).
//! An instructor build's test (`required-features` in Cargo.toml); what a
//! student's build says instead is in `default_build.rs`.

mod common;

use common::{Memgrade, repo, text};

mod with_the_feature {
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;
    use std::process::Command;

    use super::*;
    use common::{course_builder, platforms};

    /// (name, unix mode, content) of every entry.
    fn entries(zip: &Path) -> Vec<(String, u32, Vec<u8>)> {
        let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut f = archive.by_index(i).unwrap();
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).unwrap();
                (
                    f.name().unwrap().to_string(),
                    f.unix_mode().unwrap_or(0),
                    bytes,
                )
            })
            .collect()
    }

    fn package(course_root: &Path, zip: &Path) {
        let out = Memgrade::new()
            .root(course_root)
            .args([
                "gradescope-package".as_ref(),
                "--out".as_ref(),
                zip.as_os_str(),
            ])
            .output();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }

    #[test]
    fn the_zip_holds_executable_scripts_and_the_course_without_solutions() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("autograder.zip");
        package(&repo(), &zip);
        let all = entries(&zip);
        let names: Vec<&str> = all.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(&names[..2], ["setup.sh", "run_autograder"]);
        for (name, mode, body) in &all[..2] {
            assert_eq!(mode & 0o777, 0o755, "{name} is executable");
            assert!(body.starts_with(b"#!/usr/bin/env bash\n"), "{name}");
        }
        for (name, mode, _) in &all[2..] {
            assert!(name.starts_with("course/"), "{name}");
            assert_eq!(mode & 0o777, 0o644, "{name}");
            assert!(!name.contains("solutions/"), "{name}");
            assert!(!name.contains("/target/"), "{name}");
        }
        for needed in [
            "course/Cargo.toml",
            "course/Cargo.lock",
            "course/src/main.rs",
            "course/grader.toml",
            "course/memgrade.lock",
            "course/memprobe/src/lib.rs",
            "course/exercises/01_join_words/tests/memory.rs",
            "course/exercises/01_join_words/src/lib.rs",
        ] {
            assert!(names.contains(&needed), "{needed} missing: {names:#?}");
        }
        // The same course gives the same zip.
        let again = dir.path().join("again.zip");
        package(&repo(), &again);
        assert_eq!(std::fs::read(&zip).unwrap(), std::fs::read(&again).unwrap());
    }

    #[test]
    fn the_zip_made_from_a_solved_checkout_ships_the_stubs() {
        let course = course_builder().exercises(&["join_words"]).sealed().build();
        common::copy_tree(
            &repo().join("solutions/01_join_words/src"),
            &course.root().join("exercises/01_join_words/src"),
        );
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("autograder.zip");
        package(course.root(), &zip);
        let rel = "exercises/01_join_words/src/lib.rs";
        let shipped = entries(&zip)
            .into_iter()
            .find(|(name, _, _)| *name == format!("course/{rel}"))
            .map(|(_, _, body)| String::from_utf8(body).unwrap());
        assert_eq!(shipped, Some(common::stub_source(rel)));
    }

    /// Unpacks the zip as Gradescope does: `<base>/source`, modes kept.
    fn unpack(zip: &Path, source: &Path) {
        for (name, mode, body) in entries(zip) {
            let path = source.join(&name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, body).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode & 0o777)).unwrap();
        }
    }

    #[test]
    fn run_autograder_grades_a_submission_into_results_json() {
        let course = course_builder()
            .exercises(&["join_words", "release_early", "pool_guard"])
            .sealed()
            .build();
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("autograder.zip");
        package(course.root(), &zip);
        let base = dir.path().join("autograder");
        unpack(&zip, &base.join("source"));
        // The student uploaded: join_words inside a whole repository folder,
        // release_early as a bare exercise folder (both solved), pool_guard
        // not at all; plus a stray test file that must not be used.
        let submission = base.join("submission");
        common::copy_tree(
            &repo().join("solutions/01_join_words/src"),
            &submission.join("my-fork/exercises/01_join_words/src"),
        );
        common::copy_tree(
            &repo().join("solutions/02_release_early/src"),
            &submission.join("02_release_early/src"),
        );
        std::fs::create_dir_all(submission.join("02_release_early/tests")).unwrap();
        std::fs::write(
            submission.join("02_release_early/tests/memory.rs"),
            "#[test] fn always() {}",
        )
        .unwrap();

        let memgrade = Path::new(env!("CARGO_BIN_EXE_memgrade"));
        let path = format!(
            "{}:{}",
            memgrade.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new(base.join("source/run_autograder"))
            .current_dir(&base)
            .env("MEMGRADE_AUTOGRADER_ROOT", &base)
            .env("PATH", path)
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(
            text(&out).contains("found sources for 2 exercise(s)"),
            "{}",
            text(&out)
        );
        let results: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(base.join("results/results.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(
            platforms::gradescope(&results),
            Vec::<String>::new(),
            "{results:#}"
        );
        let status = |exercise: &str| -> Vec<&str> {
            results["tests"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|t| {
                    t["name"] == exercise
                        || t["name"]
                            .as_str()
                            .unwrap()
                            .starts_with(&format!("{exercise}::"))
                })
                .map(|t| t["status"].as_str().unwrap())
                .collect()
        };
        for solved in ["join_words", "release_early"] {
            let s = status(solved);
            assert!(
                !s.is_empty() && s.iter().all(|s| *s == "passed"),
                "{solved}: {results:#}"
            );
        }
        assert!(status("pool_guard").contains(&"failed"), "{results:#}");
        // pool_guard was not submitted: graded with its starting code, 0
        // points, and not an error about missing sources.
        let pool_guard: Vec<&serde_json::Value> = results["tests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["name"].as_str().unwrap().starts_with("pool_guard"))
            .collect();
        assert!(pool_guard.len() > 1, "its tests ran: {results:#}");
        for t in &pool_guard {
            assert_eq!(t["score"].as_f64(), Some(0.0), "{t:#}");
            let output = t["output"].as_str().unwrap();
            assert!(
                !output.starts_with("error") && !output.contains("were not graded"),
                "{t:#}"
            );
        }
        let solved_points: f64 = results["tests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["status"] == "passed")
            .map(|t| t["score"].as_f64().unwrap())
            .sum();
        assert_eq!(results["score"].as_f64(), Some(solved_points));
        assert!(solved_points > 0.0);
    }

    #[test]
    fn setup_sh_is_valid_bash_that_builds_memgrade_from_the_course() {
        let dir = tempfile::tempdir().unwrap();
        let zip = dir.path().join("autograder.zip");
        package(&repo(), &zip);
        let source = dir.path().join("source");
        unpack(&zip, &source);
        for script in ["setup.sh", "run_autograder"] {
            let out = Command::new("bash")
                .arg("-n")
                .arg(source.join(script))
                .output()
                .unwrap();
            assert!(out.status.success(), "{script}: {}", text(&out));
        }
        let setup = std::fs::read_to_string(source.join("setup.sh")).unwrap();
        assert!(
            setup.contains(
                "cargo build --release --locked --features instructor --manifest-path \"$course/Cargo.toml\""
            )
        );
        assert!(setup.contains("MEMGRADE_SKIP_RUSTUP"));
        assert!(setup.contains("bubblewrap"));
    }
}
