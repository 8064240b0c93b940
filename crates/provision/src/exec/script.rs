//! The text sent to a remote shell: values quoted for `sh`, and the script that gives a command
//! its environment. Environment values travel on the session's stdin, never on a command line,
//! where any user of the container (or the node) could read them in `ps`.

/// `value` as one single-quoted `sh` word.
pub fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// A script for `sh -s` that exports `env` and then runs `command` with stdin closed (the
/// script itself is the shell's stdin, so the command must not read on from it).
pub fn with_env(env: &[(String, String)], command: &str) -> String {
    let mut script = String::from("set -e\n");
    for (name, value) in env {
        script.push_str(&format!("export {name}={}\n", quote(value)));
    }
    script.push_str("set +e\n");
    script.push_str(&format!("exec /bin/sh -c {} </dev/null\n", quote(command)));
    script
}

/// Whether `name` may be exported by a shell (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn valid_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The command that writes stdin to `path` atomically with `mode` and `owner`: a temporary file
/// beside it (so a reader never sees half a file; private until its mode is set), then a rename
/// over the old one. Missing parent directories are made with the usual `0755`.
pub fn write_file(path: &str, mode: u32, owner: &str) -> String {
    let dir = match path.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(at) => path[..at].to_string(),
    };
    let temp = format!("{path}.berth-tmp");
    format!(
        "mkdir -p {dir} && (umask 077 && cat > {temp}) && chown {owner} {temp} && chmod {mode:o} {temp} && mv -f {temp} {path}",
        dir = quote(&dir),
        temp = quote(&temp),
        owner = quote(owner),
        path = quote(path),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn sh(script: &str) -> String {
        let out = Command::new("sh")
            .arg("-c")
            .arg(script)
            .output()
            .unwrap_or_else(|e| panic!("sh: {e}"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn quoting_survives_the_shell() {
        for value in ["plain", "it's", "$(reboot)", "a\nb", "`x` \"y\" \\z", ""] {
            assert_eq!(sh(&format!("printf %s {}", quote(value))), value);
        }
    }

    #[test]
    fn the_environment_reaches_the_command_and_not_its_text() {
        let env = vec![(
            "BERTH_INPUT_GREETING".to_string(),
            "hi 'there' $HOME".to_string(),
        )];
        let script = with_env(&env, "printf %s \"$BERTH_INPUT_GREETING\"");
        let out = Command::new("sh")
            .arg("-s")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .map(|mut stdin| stdin.write_all(script.as_bytes()))
                    .transpose()?;
                child.wait_with_output()
            })
            .unwrap_or_else(|e| panic!("sh -s: {e}"));
        assert_eq!(String::from_utf8_lossy(&out.stdout), "hi 'there' $HOME");
    }

    #[test]
    fn env_names_are_checked() {
        assert!(valid_env_name("BERTH_INPUT_X1"));
        assert!(!valid_env_name("1X"));
        assert!(!valid_env_name("A-B"));
        assert!(!valid_env_name(""));
    }

    #[test]
    fn a_written_file_gets_its_mode() {
        let dir = std::env::temp_dir().join(format!("berth-write-{}", std::process::id()));
        let path = dir.join("sub/file.txt");
        let path = path.to_string_lossy().into_owned();
        let owner = sh("id -un").trim().to_string();
        let out = Command::new("sh")
            .arg("-c")
            .arg(write_file(&path, 0o640, &owner))
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                if let Some(mut stdin) = child.stdin.take() {
                    stdin.write_all(b"content")?;
                }
                child.wait()
            })
            .unwrap_or_else(|e| panic!("sh: {e}"));
        assert!(out.success());
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("content")
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o640));
        std::fs::remove_dir_all(&dir).ok();
    }
}
