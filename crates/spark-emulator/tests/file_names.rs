//! File names a person can type (`;`, quotes, non-ASCII) survive an upload and come back in
//! `Content-Disposition` as RFC 6266 says.

mod support;

use http::Method;
use spark_api::FileUpload;
use spark_emulator::{Emulator, Refusals};
use spark_model::{CreateMessage, CreateRoom};
use support::{client, raw};

// spark-api itself sends a `"` in a file name as `'` (its own choice, see `quoted` in its form
// writer), so quotes are checked over raw HTTP below. A `\` is sent escaped, so names with
// backslashes (one at the end too) come back whole.
const NAMES: [&str; 7] = [
    "a;b.txt",
    "it's.txt",
    "résumé.pdf",
    "a=b; c d.txt",
    "日本語 ファイル.txt",
    "back\\slash.txt",
    "ends-in-a-backslash\\",
];

/// An emulator whose files are ready at once (these tests download right after uploading) and a
/// room of Ada's.
async fn setup() -> (Emulator, String) {
    let emulator = Emulator::builder()
        .refusals(Refusals::default().scan_time(std::time::Duration::ZERO))
        .start()
        .await
        .unwrap();
    let room = client(&emulator)
        .rooms()
        .create(&CreateRoom::new("Files"))
        .await
        .unwrap();
    (emulator, room.id)
}

#[tokio::test]
async fn names_survive_an_upload_through_the_client() {
    let (emulator, room_id) = setup().await;
    let ada = client(&emulator);
    for name in NAMES {
        let message = ada
            .messages()
            .upload(
                &CreateMessage::to_room(&room_id),
                FileUpload::from_bytes(name, "text/plain", b"x".to_vec()),
            )
            .await
            .unwrap();
        let url = &message.files.unwrap()[0];
        let info = ada.contents().info(url).await.unwrap();
        assert_eq!(info.file_name.as_deref(), Some(name));
    }
}

#[tokio::test]
async fn names_come_back_as_rfc_6266_says() {
    let (emulator, room_id) = setup().await;
    let token = emulator.access_token();
    let cases = [
        // (as a browser sends it, Content-Disposition expected)
        (r#"filename="a;b.txt""#, r#"attachment; filename="a;b.txt""#),
        (
            r#"filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"#,
            r#"attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"#,
        ),
        (
            "filename=\"résumé.pdf\"",
            r#"attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"#,
        ),
        (
            r#"filename="say \"hi\".txt""#,
            r#"attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt"#,
        ),
    ];
    for (sent, expected) in cases {
        let form = format!(
            "--B\r\ncontent-disposition: form-data; name=\"roomId\"\r\n\r\n{room_id}\r\n\
             --B\r\ncontent-disposition: form-data; name=\"files\"; {sent}\r\n\
             content-type: text/plain\r\n\r\nx\r\n--B--\r\n"
        );
        let message = raw(
            Method::POST,
            &format!("{}/messages", emulator.base_url()),
            Some(&token),
            Some("multipart/form-data; boundary=B"),
            form,
        )
        .await;
        assert_eq!(message.status, 200, "{sent}: {:?}", message.body);
        let url = message.json()["files"][0].as_str().unwrap().to_owned();
        let head = raw(Method::HEAD, &url, Some(&token), None, "").await;
        assert_eq!(head.header("content-disposition"), Some(expected), "{sent}");
    }
}
