//! Recordings the emulator keeps: their details link each file to the emulator itself, the
//! links serve the bytes given, with a file name; only the host sees them; other ids still
//! answer from the spec's example.

mod support;

use http::{Method, StatusCode};
use spark_api::DownloadOptions;
use spark_emulator::{Emulator, NewRecording};
use support::{client, raw};

#[tokio::test]
async fn a_recording_links_its_files_to_the_emulator() {
    let emulator = Emulator::start().await.unwrap();
    let video: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
    let id = emulator.add_recording(
        NewRecording::new("Design review", video.clone())
            .transcript("WEBVTT\n\n00:00.000 --> 00:01.000\nHello.\n"),
    );
    assert_eq!(id.len(), 32);
    let token = emulator.access_token();
    let url = format!("{}/recordings/{id}", emulator.base_url());

    let details = raw(Method::GET, &url, Some(&token), None, "").await;
    assert_eq!(details.status, StatusCode::OK);
    let details = details.json();
    assert_eq!(details["id"], id.as_str());
    assert_eq!(details["topic"], "Design review");
    assert_eq!(details["sizeBytes"], 50_000);
    let links = &details["temporaryDirectDownloadLinks"];
    let recording_link = links["recordingDownloadLink"].as_str().unwrap();
    assert!(recording_link.starts_with(emulator.base_url()), "{links}");
    assert!(links["transcriptDownloadLink"].is_string(), "{links}");
    assert!(links.get("audioDownloadLink").is_none(), "{links}");
    assert!(links["expiration"].as_str().unwrap() > "2025", "{links}");

    // Through the library's download API, as any content URL.
    let mut saved = Vec::new();
    let info = client(&emulator)
        .contents()
        .download(recording_link, &mut saved, DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(saved, video);
    assert_eq!(info.file_name.as_deref(), Some("Design review.mp4"));
    assert_eq!(info.content_type.as_deref(), Some("video/mp4"));
    let transcript = raw(
        Method::GET,
        links["transcriptDownloadLink"].as_str().unwrap(),
        Some(&token),
        None,
        "",
    )
    .await;
    assert_eq!(transcript.header("content-type"), Some("text/vtt"));
    assert!(transcript.body.starts_with(b"WEBVTT"));

    // No audio link, no such kind, somebody else's recording: 404.
    for path in ["download/audio", "download/video"] {
        let missing = raw(
            Method::GET,
            &format!("{url}/{path}"),
            Some(&token),
            None,
            "",
        )
        .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}");
    }
    let grace = emulator.token_for("grace@example.com").unwrap();
    let hidden = raw(Method::GET, &url, Some(&grace), None, "").await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    // Deleted: its id answers from the spec's example again, with links to the emulator that
    // answer 404.
    let deleted = raw(Method::DELETE, &url, Some(&token), None, "").await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = raw(Method::GET, recording_link, Some(&token), None, "").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let example = raw(Method::GET, &url, Some(&token), None, "").await.json();
    assert_eq!(example["topic"], "Example Topic");
    let links = &example["temporaryDirectDownloadLinks"];
    for field in [
        "recordingDownloadLink",
        "audioDownloadLink",
        "transcriptDownloadLink",
    ] {
        let link = links[field].as_str().unwrap();
        assert!(link.starts_with(emulator.base_url()), "{field}: {link}");
        let answer = raw(Method::GET, link, Some(&token), None, "").await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{field}");
    }
    assert_eq!(links["expiration"], "2022-05-01T10:30:25Z");
}
