//! Canned PVE answers with the real shapes quoted in PVE-API.md (string numbers, `"1"`/`""`
//! booleans, string vmids of PVE < 8.2…), behind the real token check.

use crate::server::{Recorded, Reply};
use serde_json::json;

pub const NODE: &str = "pve";
pub const TOKEN_ID: &str = "dash@pve!prov";
pub const TOKEN_SECRET: &str = "0b5ee0a8-4d40-4c4e-9c8e-0123456789ab";
pub const TEMPLATE: &str = "local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst";
pub const UPID_CREATE: &str = "UPID:pve:000F3A2C:0052C1B4:66A1F0C3:vzcreate:100:dash@pve!prov:";

/// `401 No ticket` / `401 Authentication failed!` with an empty body (without the 3 s delay).
pub fn check_token(rec: &Recorded) -> Option<Reply> {
    match rec.header("authorization") {
        None => Some(Reply::raw(401, Some("No ticket"), "")),
        Some(v) if v == format!("PVEAPIToken={TOKEN_ID}={TOKEN_SECRET}") => None,
        Some(_) => Some(Reply::raw(401, Some("Authentication failed!"), "")),
    }
}

/// 501 for anything unknown, exactly as the server words it.
pub fn not_implemented(rec: &Recorded) -> Reply {
    let msg = format!("Method '{} {}' not implemented", rec.method, rec.path);
    Reply::raw(
        501,
        Some(&msg),
        json!({"data": null, "message": msg}).to_string(),
    )
}

/// The read-only routes, answered for node `pve`.
pub fn pve(rec: &Recorded) -> Reply {
    if let Some(denied) = check_token(rec) {
        return denied;
    }
    let route = (rec.method.as_str(), rec.path.as_str());
    match route {
        ("GET", "/version") => {
            Reply::data(json!({"version":"9.2.11","release":"9.2","repoid":"14a22df35955d97d"}))
        }
        ("GET", "/nodes") => Reply::data(json!([{
            "id":"node/pve","node":"pve","type":"node","status":"online","cpu":0.01,
            "maxcpu":8,"mem":2147483648u64,"maxmem":17179869184u64,"disk":5368709120u64,
            "maxdisk":107374182400u64,"uptime":86400,"level":"",
            "ssl_fingerprint":"3F:0B:2A:91:5C:7E:D4:88:10:AB:CD:EF:01:23:45:67:89:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:11:22:33"
        }])),
        ("GET", "/nodes/pve/status") => Reply::data(json!({
            "uptime":86400,"idle":0,"loadavg":["0.05","0.12","0.10"],
            "kversion":"Linux 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC",
            "current-kernel":{"sysname":"Linux","release":"6.14.8-2-pve","version":"#1","machine":"x86_64"},
            "boot-info":{"mode":"efi","secureboot":0},
            "cpuinfo":{"user_hz":100,"vendor":"AuthenticAMD","family":"25","model":"AMD EPYC 7313P",
                       "mhz":"2994.374","cpus":8,"sockets":1,"cores":8,"flags":"fpu vme","hvm":"1"},
            "cpu":0.0123,"wait":0.0004,
            "memory":{"free":1,"total":17179869184u64,"available":12884901888u64,"used":4294967296u64},
            "ksm":{"shared":0},"swap":{"free":0,"total":0,"used":0},
            "pveversion":"pve-manager/9.2.11/14a22df35955d97d",
            "rootfs":{"total":100,"avail":60,"used":40,"free":60}
        })),
        ("GET", "/cluster/resources") => Reply::data(json!([
            {"id":"lxc/100","type":"lxc","vmid":100,"node":"pve","status":"running","name":"ct1",
             "uptime":300,"cpu":0.02,"maxcpu":2,"mem":104857600,"maxmem":536870912,"disk":1,
             "maxdisk":8589934592u64,"netin":1,"netout":2,"diskread":3,"diskwrite":4,"template":0,
             "tags":"berth;web"},
            {"id":"lxc/101","type":"lxc","vmid":101,"node":"pve","status":"unknown","name":"CT101","template":0}
        ])),
        ("GET", "/cluster/nextid") => match rec.params().get("vmid") {
            Some(v) if v == "100" => Reply::raw(
                400,
                Some("Parameter verification failed."),
                r#"{"data":null,"errors":{"vmid":"VM 100 already exists"},"message":"Parameter verification failed.\n"}"#,
            ),
            Some(v) => Reply::data(json!(v)),
            // A string in practice (§4.5).
            None => Reply::data(json!("102")),
        },
        ("GET", "/nodes/pve/storage") => Reply::data(json!([
            {"storage":"local","type":"dir","content":"vztmpl,iso,backup","shared":0,"enabled":1,
             "active":1,"total":100,"used":40,"avail":60,"used_fraction":0.4},
            {"storage":"local-lvm","type":"lvmthin","content":"images,rootdir","shared":0,
             "enabled":1,"active":1,"total":1000,"used":120,"avail":880,"used_fraction":0.12}
        ])),
        ("GET", "/nodes/pve/storage/local/content") => Reply::data(json!([
            {"volid":TEMPLATE,"content":"vztmpl","format":"tzst","size":126958233,"ctime":1733220000}
        ])),
        ("GET", "/nodes/pve/aplinfo") => Reply::data(json!([{
            "package":"debian-12-standard","version":"12.12-1","type":"lxc","os":"debian-12",
            "section":"system","maintainer":"Proxmox Support Team <support@proxmox.com>",
            "architecture":"amd64","headline":"Debian 12 Bookworm (standard)",
            "description":"A small Debian Bookworm system including all standard packages.",
            "source":"http://download.proxmox.com/images/system/debian-12-standard_12.12-1_amd64.tar.zst",
            "location":"http://download.proxmox.com/images/system/debian-12-standard_12.12-1_amd64.tar.zst",
            "infopage":"https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions",
            "md5sum":"","sha512sum":"abc","template":"debian-12-standard_12.12-1_amd64.tar.zst"
        }])),
        // A PVE < 8.2 list: `vmid` as a string.
        ("GET", "/nodes/pve/lxc") => Reply::data(json!([
            {"vmid":"100","type":"lxc","status":"running","name":"ct1","cpus":1,"maxmem":536870912,
             "maxswap":536870912,"maxdisk":8589934592u64,"mem":104857600,"swap":0,"disk":1,
             "uptime":300,"cpu":0.02,"netin":1,"netout":2,"diskread":3,"diskwrite":4,"pid":4242,
             "tags":"berth"},
            {"vmid":"101","type":"lxc","status":"stopped","name":"CT101","cpus":1,"maxmem":536870912,
             "maxswap":536870912,"maxdisk":4294967296u64,"mem":0,"swap":0,"disk":0,"uptime":0,
             "cpu":0,"netin":0,"netout":0,"diskread":0,"diskwrite":0,"lock":"create"}
        ])),
        ("POST", "/nodes/pve/lxc") => Reply::data(json!(UPID_CREATE)),
        _ => not_implemented(rec),
    }
}
