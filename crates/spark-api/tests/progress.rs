//! Progress reports against the emulator: an upload of a few hundred KB (from memory and from
//! disk) and a download report monotonic progress ending at the total; an upload retried after
//! a 429 reports its progress again from 0; a listing across N pages reports N pages.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::TryStreamExt;
use spark_api::{Client, DownloadOptions, FileUpload, ListProgress, Progress};
use spark_emulator::Emulator;
use spark_model::{CreateMessage, CreateRoom, ListMessages};
use support::{RemoveOnDrop, emulator_client, unique_temp_path};

/// A file's bytes, a few hundred KB that are not all alike.
fn content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

/// A callback recording every report, and what it recorded.
fn recorder() -> (
    impl Fn(Progress) + Send + Sync + 'static,
    Arc<Mutex<Vec<Progress>>>,
) {
    let reports = Arc::new(Mutex::new(Vec::new()));
    let record = reports.clone();
    (
        move |progress| record.lock().unwrap().push(progress),
        reports,
    )
}

/// Checks one attempt's reports: from 0, never down, every one with the same known total, the
/// last at the total. Returns the total.
fn assert_one_run(reports: &[Progress]) -> u64 {
    assert!(reports.len() > 2, "{reports:?}");
    let total = reports[0].total.expect("the total is known");
    assert_eq!(reports[0].done, 0, "a run starts at 0");
    assert!(
        reports.windows(2).all(|pair| pair[0].done <= pair[1].done),
        "monotonic: {reports:?}"
    );
    assert!(reports.iter().all(|report| report.total == Some(total)));
    let last = reports.last().unwrap();
    assert_eq!(last.done, total);
    assert!(last.is_complete());
    total
}

async fn room(client: &Client) -> String {
    client
        .rooms()
        .create(&CreateRoom::new("progress"))
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn an_upload_from_memory_reports_its_progress_to_the_total() {
    let emulator = Emulator::start().await.unwrap();
    // The download right after the upload needs the kind behaviour: no scan time.
    emulator.set_refusals(spark_emulator::Refusals::default().scan_time(std::time::Duration::ZERO));
    let client = emulator_client(&emulator);
    let room_id = room(&client).await;
    let bytes = content(300 * 1024);
    let (callback, reports) = recorder();

    let file = FileUpload::from_bytes("data.bin", "application/octet-stream", bytes.clone())
        .on_progress(callback);
    let message = client
        .messages()
        .upload(&CreateMessage::to_room(&room_id).text("data"), file)
        .await
        .unwrap();

    let reports = reports.lock().unwrap().clone();
    let total = assert_one_run(&reports);
    // The body is the file and its multipart framing.
    assert!(total > bytes.len() as u64 && total < bytes.len() as u64 + 1024);
    // 64 KiB chunks: five of them, each reported.
    assert_eq!(reports.len(), 1 + 5);

    let mut downloaded = Vec::new();
    let url = &message.files.unwrap()[0];
    client
        .contents()
        .download(url, &mut downloaded, DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(downloaded, bytes);
}

#[tokio::test]
async fn an_upload_from_disk_and_its_download_report_their_progress_to_the_total() {
    let emulator = Emulator::start().await.unwrap();
    // The download right after the upload needs the kind behaviour: no scan time.
    emulator.set_refusals(spark_emulator::Refusals::default().scan_time(std::time::Duration::ZERO));
    let client = emulator_client(&emulator);
    let room_id = room(&client).await;
    let bytes = content(400 * 1024 + 17);
    let source = unique_temp_path("progress-up", "bin");
    let _source_cleanup = RemoveOnDrop(source.clone());
    std::fs::write(&source, &bytes).unwrap();
    let (callback, uploaded) = recorder();

    let file = FileUpload::from_path(&source)
        .await
        .unwrap()
        .on_progress(callback);
    let message = client
        .messages()
        .upload(&CreateMessage::to_room(&room_id), file)
        .await
        .unwrap();
    let upload_total = assert_one_run(&uploaded.lock().unwrap());
    assert!(upload_total > bytes.len() as u64);

    let url = message.files.unwrap()[0].clone();
    let (callback, downloaded) = recorder();
    let mut buffer = Vec::new();
    let info = client
        .contents()
        .download(
            &url,
            &mut buffer,
            DownloadOptions::default().on_progress(callback),
        )
        .await
        .unwrap();
    assert_eq!(buffer, bytes);
    let reports = downloaded.lock().unwrap().clone();
    assert_eq!(assert_one_run(&reports), bytes.len() as u64);
    assert_eq!(info.size, Some(bytes.len() as u64));

    // To a path, with options cloned from ones that report: the callback is shared.
    let (callback, to_path) = recorder();
    let options = DownloadOptions::default().on_progress(callback);
    let target = unique_temp_path("progress-down", "bin");
    let _target_cleanup = RemoveOnDrop(target.clone());
    client
        .contents()
        .download_to_path(&url, &target, options.clone())
        .await
        .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), bytes);
    assert_eq!(assert_one_run(&to_path.lock().unwrap()), bytes.len() as u64);
}

#[tokio::test(start_paused = true)]
async fn an_upload_retried_after_a_429_reports_its_progress_again_from_zero() {
    let emulator = Emulator::start().await.unwrap();
    let client = emulator_client(&emulator);
    let room_id = room(&client).await;
    let bytes = content(200 * 1024);
    let source = unique_temp_path("progress-retry", "bin");
    let _cleanup = RemoveOnDrop(source.clone());
    std::fs::write(&source, &bytes).unwrap();
    let (callback, reports) = recorder();
    let file = FileUpload::from_path(&source)
        .await
        .unwrap()
        .on_progress(callback);

    emulator.rate_limit_next(1, 2);
    let requests = emulator.request_count();
    let started = tokio::time::Instant::now();
    client
        .messages()
        .upload(&CreateMessage::to_room(&room_id), file)
        .await
        .unwrap();

    assert_eq!(emulator.request_count() - requests, 2, "one 429, one retry");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "Retry-After waited"
    );
    let reports = reports.lock().unwrap().clone();
    let restart = reports
        .iter()
        .rposition(|report| report.done == 0)
        .expect("a report of 0");
    assert!(restart > 0, "the retry starts again from 0: {reports:?}");
    let first = assert_one_run(&reports[..restart]);
    let second = assert_one_run(&reports[restart..]);
    assert_eq!(first, second);
}

#[tokio::test]
async fn a_listing_across_n_pages_reports_n_pages() {
    let emulator = Emulator::start().await.unwrap();
    let client = emulator_client(&emulator);
    let room_id = room(&client).await;
    for n in 0..11 {
        client
            .messages()
            .create(&CreateMessage::to_room(&room_id).text(format!("message {n}")))
            .await
            .unwrap();
    }
    let params = ListMessages::new(&room_id).max(3);
    let page_count = client
        .messages()
        .pages(&params)
        .try_fold(0, |count, _| async move { Ok(count + 1) })
        .await
        .unwrap();
    assert_eq!(page_count, 4, "pages of 3, 3, 3 and 2");

    let reports = Arc::new(Mutex::new(Vec::new()));
    let record = reports.clone();
    let messages: Vec<_> = client
        .messages()
        .list(&params)
        .on_page(move |progress| record.lock().unwrap().push(progress))
        .try_collect()
        .await
        .unwrap();

    assert_eq!(messages.len(), 11);
    let reports = reports.lock().unwrap().clone();
    assert_eq!(
        reports,
        [
            ListProgress::new(1, 3),
            ListProgress::new(2, 6),
            ListProgress::new(3, 9),
            ListProgress::new(4, 11)
        ]
    );

    // The page stream reports the same; a limited list reports only the pages it fetched.
    let pages_seen = Arc::new(Mutex::new(Vec::new()));
    let record = pages_seen.clone();
    let pages: Vec<_> = client
        .messages()
        .pages(&params)
        .on_page(move |progress| record.lock().unwrap().push(progress.pages))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 4);
    assert_eq!(*pages_seen.lock().unwrap(), [1, 2, 3, 4]);

    let limited_seen = Arc::new(Mutex::new(Vec::new()));
    let record = limited_seen.clone();
    let first: Vec<_> = client
        .messages()
        .list(&params)
        .on_page(move |progress| record.lock().unwrap().push(progress))
        .limit(5)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 5);
    assert_eq!(
        *limited_seen.lock().unwrap(),
        [ListProgress::new(1, 3), ListProgress::new(2, 6)]
    );
}
