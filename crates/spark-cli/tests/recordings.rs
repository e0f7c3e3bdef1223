//! `spark recordings download` against the emulator: the files of a recording saved under the
//! server's names with the expected bytes; a second run refuses to replace them (exit code 1,
//! the files unchanged, nothing left behind) unless `--force`; a missing link is an error.

mod support;

use spark_emulator::NewRecording;
use support::{Sandbox, json, ndjson};

/// The names in a directory, sorted (hidden ones included).
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the directory")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn a_recording_downloads_once_and_is_not_clobbered() {
    let sandbox = Sandbox::new("recordings");
    let token = sandbox.emulator.access_token();
    let video: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 256) as u8).collect();
    let transcript = "WEBVTT\n\n00:00.000 --> 00:01.500\nAda: shall we start?\n";
    let id = sandbox.emulator.add_recording(
        NewRecording::new("../Q3 review: plans?", video.clone()).transcript(transcript),
    );
    let out = sandbox.path("recordings");
    let out_arg = out.to_str().expect("path");
    let download = |extra: &[&str]| {
        let mut args: Vec<&str> = vec![
            "--token",
            &token,
            "recordings",
            "download",
            &id,
            "-o",
            out_arg,
        ];
        args.extend_from_slice(extra);
        sandbox.run(&args)
    };

    // The recording alone by default, into a directory made for it, under its name made safe
    // (no path, no `:` or `?`).
    let first = download(&[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let saved = json(&first.stdout);
    assert_eq!(saved["kind"], "recording");
    assert_eq!(saved["size"], 200_000);
    assert_eq!(saved["contentType"], "video/mp4");
    let path = out.join("Q3 review plans.mp4");
    assert_eq!(saved["path"], path.display().to_string());
    assert_eq!(std::fs::read(&path).expect("the recording"), video);

    // Again: refused, exit code 1, the file as it was, no staging directory left.
    std::fs::write(&path, b"edited by hand").expect("edit");
    let second = download(&[]);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(
        second.stderr.contains("exists already"),
        "{}",
        second.stderr
    );
    assert!(second.stderr.contains("--force"), "{}", second.stderr);
    assert!(second.stdout.is_empty(), "{}", second.stdout);
    assert_eq!(std::fs::read(&path).expect("kept"), b"edited by hand");
    assert_eq!(names(&out), ["Q3 review plans.mp4"]);

    // --force replaces it; --kind all brings the transcript too, one JSON line per file.
    let forced = download(&["--force", "--kind", "all"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    let lines = ndjson(&forced.stdout);
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["recording", "transcript"]);
    assert_eq!(std::fs::read(&path).expect("replaced"), video);
    assert_eq!(
        std::fs::read_to_string(out.join("Q3 review plans.vtt")).expect("transcript"),
        transcript
    );
    assert_eq!(names(&out), ["Q3 review plans.mp4", "Q3 review plans.vtt"]);

    // A kind the recording lacks: exit code 1, nothing fetched.
    let audio = download(&["--kind", "audio"]);
    assert_eq!(audio.code, 1, "{}", audio.stderr);
    assert!(
        audio.stderr.contains("no audio download link"),
        "{}",
        audio.stderr
    );

    // Over --max-bytes: refused before a byte is written, nothing left.
    let capped = download(&["--force", "--max-bytes", "1000"]);
    assert_ne!(capped.code, 0, "{}", capped.stdout);
    assert_eq!(names(&out), ["Q3 review plans.mp4", "Q3 review plans.vtt"]);

    // An unknown recording: the API's 404, exit code 1.
    let unknown = sandbox.run(&[
        "--token",
        &token,
        "recordings",
        "download",
        "nope",
        "-o",
        out_arg,
    ]);
    assert_eq!(unknown.code, 1, "{}", unknown.stderr);
}
