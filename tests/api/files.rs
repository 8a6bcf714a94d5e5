//! File hygiene: uploads refused before their body is read or anything is stored, content
//! that only looks like an accepted kind, stored files deleted when nothing references
//! them (on removal and by `gc-files`), the storage quota, a store that cannot write.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::time::{Duration, SystemTime};

use clap::Parser as _;
use entity::sea_orm_active_enums::FilingState;
use outlet_filing::cli;
use outlet_filing::service::attachments::{self, Sweep};
use outlet_filing::storage::FileStore;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::helpers::{PDF, Persona, TestApp, pdf, spawn_app, spawn_app_with};

const UPLOAD: &str = "mutation($input: UploadFilingAttachmentInput!) { uploadFilingAttachment(input: $input) { filing { version } attachment { id sha256 } } }";
const REMOVE: &str = "mutation($input: RemoveFilingAttachmentInput!) { removeFilingAttachment(input: $input) { filing { version } } }";

/// Every file under the app's store, by path relative to it.
fn stored_files(app: &TestApp) -> BTreeMap<String, u64> {
    let root = app.state.files.root().to_path_buf();
    let mut found = BTreeMap::new();
    let Ok(shards) = std::fs::read_dir(&root) else { return found };
    for shard in shards.flatten() {
        for file in std::fs::read_dir(shard.path()).into_iter().flatten().flatten() {
            let path = file.path();
            let relative = path.strip_prefix(&root).unwrap().display().to_string();
            found.insert(relative, file.metadata().unwrap().len());
        }
    }
    found
}

async fn remove(app: &TestApp, token: Option<&str>, attachment_id: &Value, version: i64) -> Value {
    let reply = app
        .graphql_as(token, REMOVE, json!({ "input": { "attachmentId": attachment_id, "version": version } }))
        .await;
    reply.data()["removeFilingAttachment"].clone()
}

/// Sets a file's modification time `age` into the past.
fn age(path: &std::path::Path, age: Duration) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

#[tokio::test]
async fn an_anonymous_upload_is_refused_before_its_body_is_read() {
    let app = spawn_app().await;
    let host = app.address.strip_prefix("http://").unwrap();
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    // 20 MB announced, 64 KiB sent, then the client stalls: only a server that does not
    // wait for the body can answer.
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=b\r\n\
         Apollo-Require-Preflight: true\r\nContent-Length: {}\r\n\r\n",
        20 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&vec![b'x'; 64 * 1024]).await.unwrap();
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("answered while the body is still coming")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("\"UNAUTHENTICATED\""), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("www-authenticate: bearer"), "{answer}");

    // The preflight rule still comes first.
    let form = reqwest::multipart::Form::new().text("operations", "{}").text("map", "{}");
    let response = app.client.post(app.endpoint()).multipart(form).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_request_with_more_files_than_allowed_is_refused_before_anything_is_stored() {
    let app = spawn_app().await;
    let world = app.world().await;
    let applicant = world.token(Persona::OwnApplicant).unwrap();
    let filing = app.insert_filing(&world.a, FilingState::Draft).await;
    let before = (app.fingerprint().await, stored_files(&app));
    let operations = json!({ "query": UPLOAD, "variables": { "input": {
        "filingId": filing.id.to_string(), "version": 1, "kind": "OTHER", "file": null } } });

    // Four parts, the test limit being three; and one part mapped to four places.
    let four_parts = json!({ "0": ["variables.input.file"], "1": ["variables.input.file"],
        "2": ["variables.input.file"], "3": ["variables.input.file"] });
    let one_part_four_places = json!({ "0": ["variables.input.file", "variables.input.file",
        "variables.input.file", "variables.input.file"] });
    for (map, parts) in [(four_parts, 4), (one_part_four_places, 1)] {
        let mut form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", map.to_string());
        for part in 0..parts {
            let content = pdf(&format!("part {part}"), 0);
            form =
                form.part(part.to_string(), reqwest::multipart::Part::bytes(content).file_name("附件.pdf"));
        }
        let response = app
            .client
            .post(app.endpoint())
            .header("Apollo-Require-Preflight", "true")
            .bearer_auth(applicant)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["message"], "a request may carry at most 3 files");
    }
    assert_eq!((app.fingerprint().await, stored_files(&app)), before);
}

#[tokio::test]
async fn a_pdf_header_in_front_of_an_executable_and_a_zip_bomb_named_docx_are_refused() {
    let app = spawn_app().await;
    let world = app.world().await;
    let applicant = world.token(Persona::OwnApplicant);
    let filing = app.insert_filing(&world.a, FilingState::Draft).await;
    let before = (app.fingerprint().await, stored_files(&app));

    let mut polyglot = b"%PDF-1.7\nMZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    polyglot.resize(8 * 1024, 0x90);
    let reply = app.upload(applicant, filing.id, 1, "OTHER", "制度.pdf", &polyglot).await;
    assert_eq!(reply.error("BAD_USER_INPUT")["field"], "input.file");
    let message = reply.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("not a well-formed"), "{message}");

    // 20 MiB of zeros as the document: some 20 KiB packed.
    let mut bomb = std::io::Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut bomb);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("[Content_Types].xml", options).unwrap();
    writer.write_all(b"<Types/>").unwrap();
    writer.start_file("word/document.xml", options).unwrap();
    writer.write_all(&vec![0; 20 * 1024 * 1024]).unwrap();
    writer.finish().unwrap();
    let bomb = bomb.into_inner();
    assert!(bomb.len() < 64 * 1024);
    let reply = app.upload(applicant, filing.id, 1, "OTHER", "制度.docx", &bomb).await;
    assert_eq!(reply.error("BAD_USER_INPUT")["field"], "input.file");
    let message = reply.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("compressed more than 100 to 1"), "{message}");

    assert_eq!((app.fingerprint().await, stored_files(&app)), before);
}

#[tokio::test]
async fn a_file_is_deleted_when_its_last_attachment_is_removed() {
    let app = spawn_app().await;
    let world = app.world().await;
    let applicant = world.token(Persona::OwnApplicant);
    let filing = app.insert_filing(&world.a, FilingState::Draft).await;
    let content = pdf("工作制度", 0);
    let path = app.state.files.path_of(&FileStore::hash(&content));

    // The same content attached twice is stored once.
    let first = app.upload(applicant, filing.id, 1, "OTHER", "制度.pdf", &content).await;
    let first = first.data()["uploadFilingAttachment"]["attachment"]["id"].clone();
    let second = app.upload(applicant, filing.id, 2, "OTHER", "制度副本.pdf", &content).await;
    let second = second.data()["uploadFilingAttachment"]["attachment"]["id"].clone();
    assert!(path.exists());

    remove(&app, applicant, &first, 3).await;
    assert!(path.exists(), "still referenced by the second attachment");
    remove(&app, applicant, &second, 4).await;
    assert!(!path.exists(), "deleted with its last attachment");
    // The fixture's own attachments keep theirs, and nothing is left aside.
    assert!(app.state.files.path_of(&FileStore::hash(PDF)).exists());
    assert_eq!(stored_files(&app).len(), 1, "{:?}", stored_files(&app));
}

#[tokio::test]
async fn a_sweep_deletes_old_orphans_and_strays_and_keeps_the_rest() {
    let app = spawn_app().await;
    let world = app.world().await;
    app.insert_filing(&world.a, FilingState::Draft).await;
    let hour = Duration::from_secs(3600);
    let referenced = app.state.files.path_of(&FileStore::hash(PDF));
    age(&referenced, 2 * hour);
    let old_orphan = app.state.files.path_of(&app.state.files.put(&pdf("old", 0)).await.unwrap());
    age(&old_orphan, 2 * hour);
    let young_orphan = app.state.files.path_of(&app.state.files.put(&pdf("young", 0)).await.unwrap());
    let stray = old_orphan.with_file_name(".abandoned.upload");
    std::fs::write(&stray, b"half a file").unwrap();
    age(&stray, 2 * hour);
    let foreign = app.state.files.root().join("README");
    std::fs::write(&foreign, b"not the store's").unwrap();
    age(&foreign, 2 * hour);

    let sweep = Sweep { dry_run: true, grace: hour };
    let mut seen = Vec::new();
    let report = attachments::sweep(&app.state, sweep, |done, total| seen.push((done, total))).await.unwrap();
    assert_eq!(report.checked, 5);
    assert_eq!(seen.last(), Some(&(5, 5)));
    assert_eq!(report.orphans, vec![old_orphan.clone()]);
    assert_eq!(report.strays, vec![stray.clone()]);
    assert_eq!(report.young, 1);
    assert_eq!(report.foreign, vec![foreign.clone()]);
    let orphan_bytes = std::fs::metadata(&old_orphan).unwrap().len();
    assert_eq!(report.bytes_freed, orphan_bytes + 11);
    assert!(old_orphan.exists() && stray.exists(), "a dry run deletes nothing");

    let report = attachments::sweep(&app.state, Sweep { dry_run: false, ..sweep }, |_, _| {}).await.unwrap();
    assert_eq!((report.orphans.len(), report.strays.len(), report.failed), (1, 1, 0));
    assert_eq!(report.bytes_freed, orphan_bytes + 11);
    assert!(!old_orphan.exists() && !stray.exists());
    assert!(referenced.exists() && young_orphan.exists() && foreign.exists());
}

#[tokio::test]
async fn the_gc_files_command_deletes_old_orphans_unless_told_to_only_list_them() {
    let app = spawn_app().await;
    let orphan = app.state.files.path_of(&app.state.files.put(&pdf("orphan", 0)).await.unwrap());
    age(&orphan, Duration::from_secs(3 * 3600));
    let settings = &app.state.settings;
    let config = settings.data_dir.join("gc-files.toml");
    let toml = format!(
        "database_url = {:?}\ndata_dir = {:?}\njwt_secret = \"gc-files-test-secret-of-32-bytes-or-more\"\nadmin_password = {:?}\n",
        settings.database_url(),
        settings.data_dir.display().to_string(),
        crate::helpers::ADMIN_PASSWORD,
    );
    std::fs::write(&config, toml).unwrap();
    let run = |args: &[&str]| {
        let mut line = vec!["outlet-filing", "--config", config.to_str().unwrap(), "gc-files"];
        line.extend_from_slice(args);
        cli::execute(cli::Cli::try_parse_from(line).expect("a valid command line"))
    };

    run(&["--dry-run"]).await.unwrap();
    assert!(orphan.exists(), "a dry run deletes nothing");
    run(&["--grace-minutes", "240"]).await.unwrap();
    assert!(orphan.exists(), "younger than the grace period");
    run(&[]).await.unwrap();
    assert!(!orphan.exists());
}

#[tokio::test]
async fn uploads_beyond_the_institution_quota_are_refused_until_attachments_are_removed() {
    // The fixture's two attachments take 2 × 233 bytes; room for one more file of 300.
    let app = spawn_app_with(|settings| settings.max_institution_storage_bytes = 2 * 233 + 400).await;
    let world = app.world().await;
    let applicant = world.token(Persona::OwnApplicant);
    let filing = app.insert_filing(&world.a, FilingState::Draft).await;
    let (first, second) = (pdf("一", 100), pdf("二", 100));
    assert!(first.len() < 400 && first.len() * 2 > 400);

    let taken = app.upload(applicant, filing.id, 1, "OTHER", "一.pdf", &first).await;
    let taken = taken.data()["uploadFilingAttachment"]["attachment"]["id"].clone();
    let before = (app.fingerprint().await, stored_files(&app));
    let refused = app.upload(applicant, filing.id, 2, "OTHER", "二.pdf", &second).await;
    assert_eq!(refused.error("BAD_USER_INPUT")["field"], "input.file");
    let message = refused.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains(&format!("of its {} bytes", 2 * 233 + 400)), "{message}");
    assert!(message.contains("remove attachments"), "{message}");
    assert_eq!((app.fingerprint().await, stored_files(&app)), before, "nothing stored");

    // Another institution has its own quota.
    let other = app.insert_filing(&world.b, FilingState::Draft).await;
    app.upload(world.token(Persona::OtherApplicant), other.id, 1, "OTHER", "二.pdf", &second).await.data();

    remove(&app, applicant, &taken, 2).await;
    app.upload(applicant, filing.id, 3, "OTHER", "二.pdf", &second).await.data();
}

#[tokio::test]
async fn a_store_that_cannot_write_answers_internal_and_keeps_no_row() {
    let app = spawn_app().await;
    let world = app.world().await;
    let applicant = world.token(Persona::OwnApplicant);
    let filing = app.insert_filing(&world.a, FilingState::Draft).await;
    // Make the folder of the next file a plain file: creating it fails, as a full disk would.
    let content = pdf("无处可存", 0);
    let folder = app.state.files.path_of(&FileStore::hash(&content)).parent().unwrap().to_path_buf();
    std::fs::create_dir_all(folder.parent().unwrap()).unwrap();
    std::fs::write(&folder, b"").unwrap();
    let before = app.fingerprint().await;

    let reply = app.upload(applicant, filing.id, 1, "OTHER", "制度.pdf", &content).await;
    reply.error("INTERNAL");
    assert_eq!(reply.body["errors"][0]["message"], "internal error");
    assert_eq!(app.fingerprint().await, before, "no attachment row, no version raised");
    std::fs::remove_file(&folder).unwrap();
    app.upload(applicant, filing.id, 1, "OTHER", "制度.pdf", &content).await.data();
}
