//! Client methods, one per API call, named after the API paths; grouped by area.

mod cluster;
mod lxc;
mod lxc_extra;
mod storage;
mod tasks;
