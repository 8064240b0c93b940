use super::*;

pub fn sample() -> TemplateSpec {
    TemplateSpec {
        name: "web".into(),
        title: "Web server".into(),
        description: "nginx on Debian".into(),
        icon: "globe".into(),
        category: "web".into(),
        tags: vec!["nginx".into()],
        os_template: "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst".into(),
        resources: Resources {
            cores: 2,
            memory_mib: 1024,
            swap_mib: 512,
            disk_gib: 8,
            unprivileged: true,
            nesting: false,
        },
        network: NetworkDefaults {
            bridge: "vmbr0".into(),
            vlan: None,
            ipv4: Ipv4Mode::Dhcp,
            ipv6: Ipv6Mode::None,
        },
        buckets: vec!["base-tools".into()],
        files: vec![TemplateFile {
            path: "/etc/motd".into(),
            mode: "0644".into(),
            owner: "root:root".into(),
            content: "Welcome to {{site_name}}\n".into(),
        }],
        scripts: vec![TemplateScript {
            name: "install nginx".into(),
            interpreter: Interpreter::Bash,
            run_as: "root".into(),
            timeout_secs: 600,
            content: "apt-get install -y nginx\n".into(),
        }],
        inputs: vec![TemplateInput {
            name: "site_name".into(),
            label: "Site name".into(),
            kind: InputKind::String,
            required: true,
            default: Some("example".into()),
            choices: vec![],
            pattern: Some("[a-z]+".into()),
        }],
        health_check: Some(HealthCheck::Tcp { port: 80 }),
        apps: Vec::new(),
    }
}

fn paths(spec: &TemplateSpec) -> Vec<String> {
    match spec.validate() {
        Ok(()) => vec![],
        Err(problems) => problems.into_iter().map(|p| p.path).collect(),
    }
}

#[test]
fn the_sample_is_valid() {
    assert_eq!(sample().validate(), Ok(()));
}

#[test]
fn every_problem_names_its_field() {
    let mut spec = sample();
    spec.name = "Web Server".into();
    spec.icon = "unicorn".into();
    spec.os_template = "debian-12.tar.zst".into();
    spec.resources.cores = 0;
    spec.resources.memory_mib = 8;
    spec.network.bridge = String::new();
    spec.network.vlan = Some(5000);
    spec.network.ipv4 = Ipv4Mode::Static(StaticAddress {
        address: "10.0.0.5/24".into(),
        gateway: Some("10.0.1.1".into()),
    });
    spec.buckets.push("base-tools".into());
    spec.files.push(spec.files[0].clone());
    spec.files[1].mode = "999".into();
    spec.files[1].content = "{{nope}}".into();
    spec.scripts[0].timeout_secs = 0;
    spec.scripts[0].run_as = "Root".into();
    spec.inputs.push(TemplateInput {
        name: "size".into(),
        label: "Size".into(),
        kind: InputKind::Choice,
        required: false,
        default: Some("xl".into()),
        choices: vec!["s".into(), "m".into()],
        pattern: None,
    });
    spec.health_check = Some(HealthCheck::Http {
        port: 80,
        path: "health".into(),
    });
    assert_eq!(
        paths(&spec),
        [
            "name",
            "icon",
            "os_template",
            "resources.cores",
            "resources.memory_mib",
            "network.bridge",
            "network.vlan",
            "network.ipv4.gateway",
            "buckets[1]",
            "files[1].path",
            "files[1].mode",
            "files[1].content",
            "scripts[0].run_as",
            "scripts[0].timeout_secs",
            "inputs[1].default",
            "health_check.path",
        ]
    );
}

#[test]
fn inputs_are_checked_against_their_type() {
    let mut spec = sample();
    let base = spec.inputs[0].clone();
    let with =
        |kind, default: Option<&str>, choices: &[&str], pattern: Option<&str>| TemplateInput {
            kind,
            default: default.map(str::to_string),
            choices: choices.iter().map(|c| c.to_string()).collect(),
            pattern: pattern.map(str::to_string),
            ..base.clone()
        };
    spec.inputs = vec![
        with(InputKind::Secret, Some("hunter2"), &[], None),
        with(InputKind::Int, Some("ten"), &[], None),
        with(InputKind::Bool, Some("yes"), &[], None),
        with(InputKind::Choice, None, &[], None),
        with(InputKind::Int, None, &[], Some("[0-9]+")),
        with(InputKind::String, None, &["a"], None),
    ];
    for (i, input) in spec.inputs.iter_mut().enumerate() {
        input.name = format!("input_{i}");
    }
    spec.files.clear();
    assert_eq!(
        paths(&spec),
        [
            "inputs[0].default",
            "inputs[1].default",
            "inputs[2].default",
            "inputs[3].choices",
            "inputs[4].pattern",
            "inputs[5].choices",
        ]
    );
}

#[test]
fn os_templates_are_volume_ids() {
    for good in [
        "local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst",
        "nas-1:vztmpl/alpine-3.20-default_20240908_amd64.tar.xz",
    ] {
        assert_eq!(os_template_problem(good), None, "{good}");
    }
    for bad in [
        "",
        "local:iso/x.iso",
        "local:vztmpl/",
        "local:vztmpl/a/b.tar.gz",
        ":vztmpl/x.tar.gz",
    ] {
        assert!(os_template_problem(bad).is_some(), "{bad}");
    }
}
