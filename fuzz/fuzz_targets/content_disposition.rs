//! The `Content-Disposition` file-name reader on any text: it never panics and the name it
//! gives is never longer than the value it was read from.

#![no_main]

use libfuzzer_sys::fuzz_target;
use spark_api::parsers::file_name_of;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(name) = file_name_of(&text) {
        assert!(name.len() <= text.len(), "{name:?} from {text:?}");
    }
});
