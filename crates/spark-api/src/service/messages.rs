//! `/messages`: messages in rooms and direct, threads, edits, and file uploads.

use std::convert::Infallible;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt, stream};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderValue, Method, Request};
use spark_http::Body;
use spark_model::{CreateMessage, ListDirectMessages, ListMessages, Message, UpdateMessage};
use tokio::io::AsyncReadExt;

use super::{create_op, delete_op, get_op, list_op, service, update_op};
use crate::error::{Error, Result};
use crate::form;
use crate::progress::{Progress, ProgressCallback, Reporting};

/// The most a file attached to a message may weigh: 100 MB.
pub const MAX_FILE_BYTES: u64 = 100 * 1024 * 1024;

service!(
    /// Messages: list (in a room or direct), get, post (with a file too), edit, delete.
    Messages,
    "messages"
);
list_op!(Messages, "messages", ListMessages, Message);
get_op!(Messages, "messages", Message);
create_op!(Messages, "messages", CreateMessage, Message);
update_op!(Messages, "messages", UpdateMessage, Message);
delete_op!(Messages, "messages");

impl Messages {
    /// Lists the 1:1 messages with one person: `GET /messages/direct` with `params`
    /// (`personId` or `personEmail`, `parentId`) as the query string, no body.
    ///
    /// Returns a stream of the [`Message`]s, fetched a page at a time as it is read (see
    /// [`Messages::list`]). The stream owns what it needs (`Send + 'static`).
    ///
    #[doc = super::errors_doc!(stream)]
    pub fn list_direct(&self, params: &ListDirectMessages) -> crate::ListStream<Message> {
        self.client.list_at("messages/direct", params)
    }

    /// Posts a message with a file: `POST /messages` as `multipart/form-data`, with `file` in
    /// the field `files` and the message's text fields (`roomId`, `toPersonId`,
    /// `toPersonEmail`, `parentId`, `text`, `markdown`) beside it, and an exact
    /// `Content-Length`.
    ///
    /// Returns the created [`Message`], decoded from the answer's JSON; its `files` holds the
    /// content URL to download the file from.
    ///
    /// A file read from a path streams from disk (it is never held whole in memory) and is read
    /// again if the call is retried (after a 429, say). A file over [`MAX_FILE_BYTES`] is refused
    /// before anything is sent. [`FileUpload::on_progress`] reports the bytes sent (and starts
    /// again when the upload is retried).
    ///
    /// ```no_run
    /// # async fn run(client: spark_api::Client) -> spark_api::Result<()> {
    /// use spark_api::FileUpload;
    /// use spark_api::model::CreateMessage;
    ///
    /// let report = FileUpload::from_path("report.pdf").await?;
    /// client
    ///     .messages()
    ///     .upload(&CreateMessage::to_room("ROOM_ID").text("This week's report"), report)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    ///
    #[doc = super::owned_future_doc!()]
    ///
    #[doc = super::errors_doc!(json, more)]
    /// - [`Error::FileTooLarge`] when the file is over [`MAX_FILE_BYTES`] (nothing is sent);
    /// - [`Error::InvalidArgument`] when `message` also carries file URLs or card attachments
    ///   (nothing is sent);
    /// - [`Error::Http`] (the body's error) when the file cannot be read while it is sent, or
    ///   changed size since it was measured.
    pub fn upload(
        &self,
        message: &CreateMessage,
        file: FileUpload,
    ) -> impl Future<Output = Result<Message>> + Send + 'static + use<> {
        let request = self.upload_request(message, file);
        let http = self.client.http().clone();
        async move { crate::answer::json(http.send(request?).await?).await }
    }

    /// The multipart request for `message` with `file`.
    fn upload_request(&self, message: &CreateMessage, file: FileUpload) -> Result<Request<Body>> {
        if file.size > MAX_FILE_BYTES {
            return Err(Error::FileTooLarge {
                size: file.size,
                limit: MAX_FILE_BYTES,
            });
        }
        let fields = text_fields(message)?;
        let mut known: Vec<&[u8]> = fields.iter().map(|(_, value)| value.as_bytes()).collect();
        if let Source::Bytes(bytes) = &file.source {
            known.push(bytes);
        }
        let boundary = form::new_boundary(&known);
        let head = form_head(&fields, &file, &boundary);
        let tail = Bytes::from(form::closing(&boundary));
        let length = head.len() as u64 + file.size + tail.len() as u64;
        let size = file.size;
        let body = match (file.source, file.progress) {
            (Source::Bytes(bytes), progress) => {
                let mut whole = BytesMut::with_capacity(length as usize);
                whole.extend_from_slice(&head);
                whole.extend_from_slice(&bytes);
                whole.extend_from_slice(&tail);
                let whole = whole.freeze();
                match progress {
                    None => Body::from(whole),
                    // In chunks, so that there is progress to report; each attempt counts anew.
                    Some(progress) => Body::replayable(move || {
                        let chunks = in_chunks(whole.clone());
                        Body::from_stream(Reporting::new(chunks, Some(length), progress.clone()))
                    }),
                }
            }
            (Source::Path(path), progress) => Body::replayable(move || {
                let form = streamed_form(head.clone(), path.clone(), size, tail.clone());
                match &progress {
                    None => Body::from_stream(form),
                    Some(progress) => Body::from_stream(Reporting::new(
                        Box::pin(form),
                        Some(length),
                        progress.clone(),
                    )),
                }
            }),
        };
        let mut request = self.client.http().request(Method::POST, "messages", body)?;
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let headers = request.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_str(&content_type).expect("the boundary is plain ASCII"),
        );
        headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
        Ok(request)
    }
}

/// A file to attach to a message: its name, media type and size, held in memory or read from
/// disk when sent, and an optional progress callback.
///
/// ```no_run
/// # async fn run(client: spark_api::Client) -> spark_api::Result<()> {
/// use spark_api::FileUpload;
/// use spark_api::model::CreateMessage;
///
/// let report = FileUpload::from_path("report.pdf")
///     .await?
///     .on_progress(|progress| eprintln!("{} of {:?} bytes", progress.done, progress.total));
/// client.messages().upload(&CreateMessage::to_room("ROOM_ID"), report).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct FileUpload {
    file_name: String,
    content_type: String,
    size: u64,
    source: Source,
    progress: Option<ProgressCallback>,
}

#[derive(Debug, Clone)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
}

impl FileUpload {
    /// A file held in memory.
    pub fn from_bytes(
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Bytes>,
    ) -> Self {
        let bytes = bytes.into();
        Self {
            file_name: file_name.into(),
            content_type: content_type.into(),
            size: bytes.len() as u64,
            source: Source::Bytes(bytes),
            progress: None,
        }
    }

    /// A file on disk, streamed when sent; its name is the path's file name, its type guessed
    /// from the extension (see [`FileUpload::content_type`] to set it).
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_owned();
        let metadata = tokio::fs::metadata(&path).await?;
        if !metadata.is_file() {
            return Err(Error::InvalidArgument(format!(
                "{} is not a file",
                path.display()
            )));
        }
        let file_name = path.file_name().map_or_else(
            || "file".to_owned(),
            |name| name.to_string_lossy().into_owned(),
        );
        Ok(Self {
            content_type: guess_content_type(&file_name).to_owned(),
            file_name,
            size: metadata.len(),
            source: Source::Path(path),
            progress: None,
        })
    }

    /// Sets the content type (sent without line breaks, and without the spaces and tabs around
    /// it).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// Sets the file name the recipients see. It is sent as a quoted string in the form's
    /// header: a `"` goes as `'` (servers disagree on how to read an escaped one), a `\` is
    /// escaped, and line breaks are left out (a header line holds none).
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = file_name.into();
        self
    }

    /// The file's size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Calls `callback` as the upload is sent: first with `done: 0`, then after each chunk of
    /// the request body handed to the connection (64 KiB from memory, a few KiB from disk),
    /// the last report being `done == total`. `total` is the length of the whole request body:
    /// the file plus its multipart framing, a few hundred bytes more than
    /// [`FileUpload::size`].
    ///
    /// A retried upload (after a 429, say) is sent again from its first byte, and its progress
    /// starts again: the callback sees `done: 0` once more, then the new attempt's progress up
    /// to `total`. An attempt cut short leaves the reports where they were. `done == total`
    /// means the body was handed to the connection, not that the API accepted it: the future's
    /// answer says that.
    ///
    /// The callback runs on the task that sends the request, between reads of the body: keep
    /// it short (set a progress bar, send on a channel). It is shared by every attempt and
    /// every clone of this upload. Without a callback an upload costs nothing more.
    pub fn on_progress<F>(mut self, callback: F) -> Self
    where
        F: Fn(Progress) + Send + Sync + 'static,
    {
        self.progress = Some(ProgressCallback::new(callback));
        self
    }
}

/// The text fields of `message` that it has, by form field name; refused when the message also
/// carries file URLs or card attachments.
fn text_fields(message: &CreateMessage) -> Result<Vec<(&'static str, &str)>> {
    if !message.files.is_empty() || !message.attachments.is_empty() {
        return Err(Error::InvalidArgument(
            "a message with an uploaded file carries neither file URLs nor card attachments".into(),
        ));
    }
    let fields = [
        ("roomId", &message.room_id),
        ("toPersonId", &message.to_person_id),
        ("toPersonEmail", &message.to_person_email),
        ("parentId", &message.parent_id),
        ("text", &message.text),
        ("markdown", &message.markdown),
    ];
    Ok(fields
        .into_iter()
        .filter_map(|(name, value)| Some((name, value.as_deref()?)))
        .collect())
}

/// The text fields and the file part's head, up to the file's first byte.
fn form_head(fields: &[(&str, &str)], file: &FileUpload, boundary: &str) -> Bytes {
    let mut head = String::new();
    for (name, value) in fields {
        form::part_head(&mut head, boundary, name, None);
        head.push_str(value);
        head.push_str("\r\n");
    }
    form::part_head(
        &mut head,
        boundary,
        "files",
        Some((file.file_name.as_str(), file.content_type.as_str())),
    );
    Bytes::from(head)
}

/// The form with the file streamed from disk; the file is opened when the body is first read.
/// Exactly `size` bytes of it are sent (the length announced); a file that shrank since it was
/// measured ends the body with an error instead of a short, mislabelled request.
fn streamed_form(
    head: Bytes,
    path: PathBuf,
    size: u64,
    tail: Bytes,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let file = stream::once(async move { tokio::fs::File::open(path).await })
        .map_ok(move |file| tokio_util::io::ReaderStream::new(file.take(size)))
        .try_flatten()
        .inspect_ok(move |chunk| {
            counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        });
    let complete = stream::once(async move {
        let read = sent.load(Ordering::Relaxed);
        if read < size {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                format!("the file changed size while being uploaded: {read} of {size} bytes"),
            ));
        }
        Ok(tail)
    });
    stream::once(async { Ok::<_, std::io::Error>(head) })
        .chain(file)
        .chain(complete)
}

/// The size of the chunks an in-memory upload is sent in when its progress is reported.
const CHUNK_BYTES: usize = 64 * 1024;

/// `whole` as slices of [`CHUNK_BYTES`] (no copy).
fn in_chunks(whole: Bytes) -> impl Stream<Item = Result<Bytes, Infallible>> + Send + Unpin {
    let length = whole.len();
    stream::iter(
        (0..length)
            .step_by(CHUNK_BYTES)
            .map(move |start| Ok(whole.slice(start..(start + CHUNK_BYTES).min(length)))),
    )
}

/// The content type for a file name's extension, `application/octet-stream` when unknown.
fn guess_content_type(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("txt") => "text/plain",
        Some("csv") => "text/csv",
        Some("html" | "htm") => "text/html",
        Some("json") => "application/json",
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("zip") => "application/zip",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("pptx") => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        Some("mp4") => "video/mp4",
        Some("mp3") => "audio/mpeg",
        _ => "application/octet-stream",
    }
}
