//! Files on disk, stored by the SHA-256 of their content under `data_dir/files`: the same
//! content is kept once, and a stored file never changes. Replicas must share the folder.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use sha2::{Digest, Sha256};

/// The file store.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    /// A store under `data_dir/files`.
    pub fn new(data_dir: &Path) -> Self {
        Self { root: data_dir.join("files") }
    }

    /// The hex SHA-256 of `content`.
    pub fn hash(content: &[u8]) -> String {
        format!("{:x}", Sha256::digest(content))
    }

    /// Where the content with hash `sha256` lives.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    /// Stores `content` under its hash and returns the hash. Writing goes through a
    /// temporary file and a rename, so a reader never sees half a file.
    ///
    /// # Errors
    /// When the disk refuses.
    pub async fn put(&self, content: &[u8]) -> anyhow::Result<String> {
        let sha256 = Self::hash(content);
        let path = self.path_of(&sha256);
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(sha256);
        }
        let folder = path.parent().context("stored files have a folder")?;
        tokio::fs::create_dir_all(folder)
            .await
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let temporary = folder.join(format!(".{sha256}.{}", uuid::Uuid::new_v4().simple()));
        tokio::fs::write(&temporary, content)
            .await
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        tokio::fs::rename(&temporary, &path)
            .await
            .with_context(|| format!("cannot store {}", path.display()))?;
        Ok(sha256)
    }

    /// Reads the content with hash `sha256`.
    ///
    /// # Errors
    /// When the file is missing or unreadable.
    pub async fn get(&self, sha256: &str) -> anyhow::Result<Vec<u8>> {
        let path = self.path_of(sha256);
        tokio::fs::read(&path).await.with_context(|| format!("cannot read {}", path.display()))
    }
}
