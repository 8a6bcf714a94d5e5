//! What an uploaded file is, judged by its bytes rather than its name or the client's
//! word. Accepted: PDF, OFD, DOC, DOCX, JPEG and PNG (Art 6 materials are scans, forms and
//! rule documents).

use std::io::Cursor;

/// The media types accepted for attachments.
pub const ACCEPTED: [&str; 6] = [
    "application/pdf",
    "application/ofd",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/jpeg",
    "image/png",
];

/// The media type of `content`, if it is one of [`ACCEPTED`].
pub fn sniff(content: &[u8]) -> Option<&'static str> {
    let kind = infer::get(content)?;
    match kind.mime_type() {
        "application/pdf" => Some("application/pdf"),
        "image/jpeg" => Some("image/jpeg"),
        "image/png" => Some("image/png"),
        // An OLE compound file: legacy Word documents (and other Office formats, which a
        // reviewer can still open; the name tells them apart).
        "application/x-ole-storage" | "application/msword" => Some("application/msword"),
        // DOCX, OFD and anything else in a ZIP container: tell them apart by their entries.
        "application/zip" | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            zip_kind(content)
        }
        _ => None,
    }
}

fn zip_kind(content: &[u8]) -> Option<&'static str> {
    let archive = zip::ZipArchive::new(Cursor::new(content)).ok()?;
    let names: Vec<String> = archive.file_names().filter_map(Result::ok).map(|n| n.into_owned()).collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("OFD.xml") {
        Some("application/ofd")
    } else if has("[Content_Types].xml") && names.iter().any(|n| n.starts_with("word/")) {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    /// A stored (uncompressed) ZIP holding empty entries with these names.
    pub(crate) fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        let options =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for name in names {
            writer.start_file(*name, options).unwrap();
            writer.write_all(b"<x/>").unwrap();
        }
        writer.finish().unwrap();
        buffer.into_inner()
    }

    #[test]
    fn known_formats_are_recognised_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Some("image/jpeg"));
        let mut ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
        ole.resize(1024, 0);
        assert_eq!(sniff(&ole), Some("application/msword"));
        assert_eq!(sniff(&zip_with(&["OFD.xml", "Doc_0/Document.xml"])), Some("application/ofd"));
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "word/document.xml"])),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        );
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(&zip_with(&["payload.exe"])), None);
        assert_eq!(sniff(b""), None);
    }
}
