//! The Containers section: the list, and the wizard that creates a container from a template.

mod page;
pub mod wizard;

pub use page::ContainersPage;
pub use wizard::NewContainerPage;
