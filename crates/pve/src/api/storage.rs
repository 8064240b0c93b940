//! Storage listing, storage content and appliance templates.

use crate::client::PveClient;
use crate::endpoints as ep;
use crate::error::Error;
use crate::form::Params;
use crate::types::{AplInfoItem, StorageContentItem, StorageInfo};
use crate::upid::Upid;

impl PveClient {
    /// `GET /nodes/{node}/storage[?content=…]`, e.g. `content = Some("vztmpl")`.
    pub async fn storage_list(
        &self,
        node: &str,
        content: Option<&str>,
    ) -> Result<Vec<StorageInfo>, Error> {
        let params = Params::new().opt_str("content", content);
        self.call(&ep::STORAGE_LIST, &[node], params).await
    }

    /// `GET /nodes/{node}/storage/{storage}/content[?content=…]`.
    pub async fn storage_content(
        &self,
        node: &str,
        storage: &str,
        content: Option<&str>,
    ) -> Result<Vec<StorageContentItem>, Error> {
        let params = Params::new().opt_str("content", content);
        self.call(&ep::STORAGE_CONTENT, &[node, storage], params)
            .await
    }

    /// `GET /nodes/{node}/aplinfo`: the templates the node can download.
    pub async fn aplinfo(&self, node: &str) -> Result<Vec<AplInfoItem>, Error> {
        self.call(&ep::APLINFO_LIST, &[node], Params::new()).await
    }

    /// `POST /nodes/{node}/aplinfo`: downloads `template` (an [`AplInfoItem::template`]) into
    /// `storage`. Starts a `download` task.
    pub async fn aplinfo_download(
        &self,
        node: &str,
        storage: &str,
        template: &str,
    ) -> Result<Upid, Error> {
        let params = Params::new()
            .str("storage", storage)
            .str("template", template);
        self.call(&ep::APLINFO_DOWNLOAD, &[node], params).await
    }
}
